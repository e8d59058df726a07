package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.Sha256;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Idempotency-Key for ingest (IETF httpapi draft): the same key with the same body replays the
 * stored answer, with a different body is refused (422), while the first request still runs is
 * refused (409). Keys are scoped to the caller's tenant and kept for {@code COHERENCE_IDEMPOTENCY_TTL}.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** 1–255 printable ASCII characters, as the draft recommends for the header's string. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    @Inject
    IdempotencyStore store;

    @Inject
    @ConfigProperty(name = "COHERENCE_IDEMPOTENCY_TTL")
    Duration ttl;

    @Inject
    WriterSettings writer;

    /** The claim for this caller, key and body; refusals are thrown with their codes. */
    public Claimed claim(Caller caller, String key, String body) {
        if (!KEY.matcher(key).matches()) {
            throw new CoherenceException(ErrorCode.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1 to 255 printable ASCII characters");
        }
        String scope = caller.tenant().orElse("subject:" + caller.subject());
        // A running claim older than the longest a write may take belongs to a request that died.
        IdempotencyStore.Claim claim = unavailableOnFailure(
                () -> store.claim(scope, key, Sha256.hex(body), ttl, writer.timeout().multipliedBy(2)));
        if (claim instanceof IdempotencyStore.Running) {
            throw new CoherenceException(ErrorCode.IDEMPOTENCY_KEY_IN_USE,
                    "a request with this Idempotency-Key is still being processed; retry later");
        }
        if (claim instanceof IdempotencyStore.Reused) {
            throw new CoherenceException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key was used for a different request body");
        }
        return new Claimed(scope, key, claim instanceof IdempotencyStore.Answered a ? a : null);
    }

    /** Any failure of the key store (a refused call of an open circuit breaker too) is STORE_UNAVAILABLE. */
    private static <T> T unavailableOnFailure(Supplier<T> call) {
        try {
            return call.get();
        } catch (CoherenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the idempotency key store is unavailable; nothing was written, retry", List.of(), e);
        }
    }

    /** A claim: {@code replay} is the stored answer when the request already ran. */
    public final class Claimed {
        private final String scope;
        private final String key;
        private final IdempotencyStore.Answered replay;

        Claimed(String scope, String key, IdempotencyStore.Answered replay) {
            this.scope = scope;
            this.key = key;
            this.replay = replay;
        }

        public IdempotencyStore.Answered replay() {
            return replay;
        }

        /** Keeps the answer for replays; a server-side failure (5xx) releases the key instead. */
        public void finish(int status, String body) {
            unavailableOnFailure(() -> {
                if (status >= 500) {
                    store.release(scope, key);
                } else {
                    store.complete(scope, key, status, body);
                }
                return null;
            });
        }
    }
}
