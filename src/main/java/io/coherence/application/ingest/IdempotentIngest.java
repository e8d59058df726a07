package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Ingest of a request that carries an Idempotency-Key. The key is claimed only once the request
 * passed validation and the policy, so a caller that may not write never occupies a key, and a
 * refusal decided before the claim is simply decided again on a retry. Then the claim replays the
 * first answer, or the request runs and its answer is kept for replays (see {@link IdempotencyKeys}
 * for which answers are kept).
 */
@ApplicationScoped
public class IdempotentIngest {

    private static final IngestService.Origin HTTP = new IngestService.Origin("http", null, null);

    private final IngestService ingest;
    private final IdempotencyKeys keys;

    /** For the CDI client proxy only. */
    protected IdempotentIngest() {
        this(null, null);
    }

    @Inject
    public IdempotentIngest(IngestService ingest, IdempotencyKeys keys) {
        this.ingest = ingest;
        this.keys = keys;
    }

    /** How the edge writes an answer, so that a replay is exactly what the first caller got. */
    public interface Answers {

        IdempotencyStore.Answered accepted(IngestReceipt receipt);

        IdempotencyStore.Answered refused(CoherenceException refusal);
    }

    /** What to answer: this request's receipt, or the replay of the key's first answer. */
    public sealed interface Result permits Fresh, Replayed {
    }

    public record Fresh(IngestReceipt receipt) implements Result {
    }

    public record Replayed(IdempotencyStore.Answered answer) implements Result {
    }

    /** Ingests the JSON body for the caller under the key; refusals are thrown with their codes. */
    public Result ingest(Caller caller, String key, String body, Answers answers) {
        keys.check(key);
        SignalJson.Parsed parsed = SignalJson.parse(body);
        IngestService.Admitted admitted = ingest.admit(caller, parsed.items(), parsed.batch(), HTTP);
        IdempotencyKeys.Claimed claim = keys.claim(caller, key, body);
        if (claim.replay() != null) {
            return new Replayed(claim.replay());
        }
        try {
            IngestReceipt receipt = ingest.write(admitted);
            IdempotencyStore.Answered answer = answers.accepted(receipt);
            claim.finish(answer.status(), answer.body());
            return new Fresh(receipt);
        } catch (OutcomeUnknownException e) {
            claim.finishWhenKnown(e.outcomes().thenApply(
                    outcomes -> answers.accepted(ingest.receipts(List.of(admitted), outcomes).get(0))));
            throw e;
        } catch (CoherenceException e) {
            IdempotencyStore.Answered refused = answers.refused(e);
            claim.finish(refused.status(), refused.body());
            throw e;
        } catch (RuntimeException e) {
            claim.finish(500, null);
            throw e;
        }
    }
}
