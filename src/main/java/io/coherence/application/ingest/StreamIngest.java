package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ingest from a stream of records (Kafka): the same validation, policy, identity and provenance
 * as a request, record by record, so one bad record never holds back the others; the records that
 * pass are written together through the group committer. A record's key is the tenant it
 * writes for: it acts as the record's caller, with the write scope and nothing else.
 */
@ApplicationScoped
public class StreamIngest {

    private final IngestService ingest;
    private final IngestSettings settings;
    private final WriterSettings writer;

    /** For the CDI client proxy only. */
    protected StreamIngest() {
        this(null, null, null);
    }

    @Inject
    public StreamIngest(IngestService ingest, IngestSettings settings, WriterSettings writer) {
        this.ingest = ingest;
        this.settings = settings;
        this.writer = writer;
    }

    /**
     * One record as the stream delivered it.
     *
     * @param key       the tenant id (UTF-8), or null
     * @param value     the signal JSON (UTF-8): one object or an array, as over HTTP
     * @param origin    where it was read, e.g. {@code coherence.signals.v1/2@1234}
     * @param timestamp the record's timestamp: the {@code ts} of signals that carry none
     */
    public record StreamRecord(byte[] key, byte[] value, String origin, Instant timestamp) {
    }

    /** What became of a record: committed (with its receipt) or refused (with the reason). */
    public sealed interface Outcome permits Committed, Refused {
    }

    public record Committed(IngestReceipt receipt) implements Outcome {
    }

    /** A refusal that no retry can cure: the record belongs in the dead-letter topic. */
    public record Refused(ErrorCode code, String reason) implements Outcome {
    }

    /**
     * Admits each record on its own and commits the admitted ones together, in writes of at most
     * the group committer's transaction size. Answers one outcome per record, in order. Throws
     * STORE_UNAVAILABLE (nothing committed) or OUTCOME_UNKNOWN (it may still commit) when the store
     * did not confirm the write: retry the same records; signal identities make that safe.
     *
     * @param channel the channel the provenance records (kafka)
     * @param subject who reads the stream, for the policy's log lines
     */
    public List<Outcome> ingest(String channel, String subject, List<StreamRecord> records) {
        return commit(admit(channel, subject, records));
    }

    /** Records checked and turned into signals, not yet written; {@link #commit} writes them. */
    public static final class Admission {

        private final Outcome[] outcomes;
        private final List<IngestService.Admitted> admitted = new ArrayList<>();
        private final List<Integer> admittedAt = new ArrayList<>();

        private Admission(int records) {
            this.outcomes = new Outcome[records];
        }
    }

    /**
     * The first half of {@link #ingest}: validation, policy, identity and provenance, record by
     * record; writes nothing. A stream can admit its next records while these are written.
     */
    public Admission admit(String channel, String subject, List<StreamRecord> records) {
        Admission admission = new Admission(records.size());
        for (int i = 0; i < records.size(); i++) {
            try {
                admission.admitted.add(admit(channel, subject, records.get(i)));
                admission.admittedAt.add(i);
            } catch (CoherenceException e) {
                admission.outcomes[i] = new Refused(e.code(), reason(e));
            }
        }
        return admission;
    }

    /**
     * The second half of {@link #ingest}: writes the admitted records, in writes of at most the
     * group committer's transaction size (one huge transaction is slower than several of the size
     * the committer is tuned for), and answers one outcome per record, in order. May be called
     * again with the same admission after STORE_UNAVAILABLE or OUTCOME_UNKNOWN.
     */
    public List<Outcome> commit(Admission admission) {
        Outcome[] outcomes = admission.outcomes.clone();
        List<IngestService.Admitted> admitted = admission.admitted;
        int from = 0;
        while (from < admitted.size()) {
            int to = from;
            int signals = 0;
            while (to < admitted.size() && (to == from || signals + admitted.get(to).signals().size() <= writer.maxSignals())) {
                signals += admitted.get(to).signals().size();
                to++;
            }
            List<IngestReceipt> receipts = ingest.commit(admitted.subList(from, to));
            for (int j = 0; j < receipts.size(); j++) {
                outcomes[admission.admittedAt.get(from + j)] = new Committed(receipts.get(j));
            }
            from = to;
        }
        return List.of(outcomes);
    }

    private IngestService.Admitted admit(String channel, String subject, StreamRecord record) {
        if (record.value() == null) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, "the record has no value");
        }
        if (record.value().length > settings.maxBodyBytes()) {
            throw new CoherenceException(ErrorCode.PAYLOAD_TOO_LARGE, "the record's value is " + record.value().length
                    + " bytes; at most " + settings.maxBodyBytes() + " are accepted");
        }
        String tenant = record.key() == null ? "" : SignalJson.utf8(record.key(), "the record's key");
        if (tenant.isBlank()) {
            throw new CoherenceException(ErrorCode.FORBIDDEN, "the record has no key; the key must be the tenant id");
        }
        SignalJson.Parsed parsed = SignalJson.parse(SignalJson.utf8(record.value(), "the record's value"));
        Caller caller = new Caller(subject, Optional.of(tenant), Set.of(Action.WRITE.scope()));
        return ingest.admit(caller, parsed.items(), parsed.batch(),
                new IngestService.Origin(channel, record.origin(), record.timestamp()));
    }

    /** The message and each violation, short enough for a header. */
    static String reason(CoherenceException e) {
        String reason = e.getMessage();
        if (!e.violations().isEmpty()) {
            reason += ": " + e.violations().stream().limit(20).map(StreamIngest::describe)
                    .collect(Collectors.joining("; "));
        }
        return reason.length() <= 1024 ? reason : reason.substring(0, 1021) + "...";
    }

    private static String describe(Violation v) {
        String where = (v.index() == null ? "" : "[" + v.index() + "]") + (v.field() == null ? "" : v.field());
        return (where.isEmpty() ? "" : where + " ") + v.code();
    }
}
