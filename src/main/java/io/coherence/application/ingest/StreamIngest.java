package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.limits.RateLimitedException;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.TokenVerifier;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ingest from a stream of records (Kafka): the same validation, policy, identity, provenance and
 * per-tenant signal rate as a request, record by record, so one bad record never holds back the
 * others; the records that pass are written together through the group committer. A record's key
 * is the tenant it writes for; who may write that tenant is the {@link StreamTrust}'s to say: the
 * record's bearer token (as over HTTP), or, trusting the broker's ACLs, the key itself. A signal
 * without {@code ts} takes the record's timestamp, held to the same time rules as a {@code ts}.
 */
@ApplicationScoped
public class StreamIngest {

    private final IngestService ingest;
    private final IngestSettings settings;
    private final WriterSettings writer;
    private final RateLimiter limiter;
    private final TokenVerifier tokens;
    private final StreamTrust trust;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected StreamIngest() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public StreamIngest(IngestService ingest, IngestSettings settings, WriterSettings writer, RateLimiter limiter,
                        TokenVerifier tokens, StreamTrust trust, Clock clock) {
        this.ingest = ingest;
        this.settings = settings;
        this.writer = writer;
        this.limiter = limiter;
        this.tokens = tokens;
        this.trust = trust;
        this.clock = clock;
    }

    /**
     * One record as the stream delivered it.
     *
     * @param key           the tenant id (UTF-8), or null
     * @param value         the signal JSON (UTF-8): one object or an array, as over HTTP
     * @param origin        where it was read, e.g. {@code coherence.signals.v1/2@1234}
     * @param timestamp     the record's timestamp: the {@code ts} of signals that carry none
     * @param authorization the record's {@code authorization} header ({@code Bearer <JWT>}), or null
     */
    public record StreamRecord(byte[] key, byte[] value, String origin, Instant timestamp, String authorization) {

        public StreamRecord(byte[] key, byte[] value, String origin, Instant timestamp) {
            this(key, value, origin, timestamp, null);
        }
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
     * the group committer's transaction size. Answers one outcome per record taken, in order: all
     * of them, unless a tenant's signal rate ran out (see {@link Admission#records()}). Throws
     * STORE_UNAVAILABLE (nothing committed) or OUTCOME_UNKNOWN (it may still commit) when the store
     * did not confirm the write: retry the same records; signal identities make that safe.
     *
     * @param channel the channel the provenance records (kafka)
     * @param subject who reads the stream, for the policy's log lines
     */
    public List<Outcome> ingest(String channel, String subject, List<StreamRecord> records) {
        return commit(admit(channel, subject, records));
    }

    /**
     * Records checked and turned into signals, not yet written; {@link #commit} writes them. It
     * holds the first {@link #records()} records it was given: the others found their tenant's
     * signal rate spent, and are to be admitted again after {@link #throttledFor()}.
     */
    public static final class Admission {

        private final Outcome[] outcomes;
        private final List<IngestService.Admitted> admitted = new ArrayList<>();
        private final List<Integer> admittedAt = new ArrayList<>();
        private int records;
        private Duration throttledFor = Duration.ZERO;

        private Admission(int records) {
            this.outcomes = new Outcome[records];
            this.records = records;
        }

        /** How many of the records, from the first, this admission took. */
        public int records() {
            return records;
        }

        /** Zero when it took every record; otherwise how long until the rest may be admitted. */
        public Duration throttledFor() {
            return throttledFor;
        }
    }

    /**
     * The first half of {@link #ingest}: trust, validation, policy, identity and provenance, record
     * by record, then the tenant's signal rate; writes nothing. A stream can admit its next records
     * while these are written. A record over its tenant's rate is neither refused nor taken: the
     * admission ends before it, so the stream waits and offers it again, in order.
     */
    public Admission admit(String channel, String subject, List<StreamRecord> records) {
        Admission admission = new Admission(records.size());
        Instant now = clock.instant();
        for (int i = 0; i < records.size(); i++) {
            IngestService.Admitted admitted;
            try {
                admitted = admit(channel, subject, records.get(i), now);
            } catch (CoherenceException e) {
                admission.outcomes[i] = new Refused(e.code(), reason(e));
                continue;
            }
            try {
                // Last, as over HTTP: a refused record spends nothing.
                admitted.perTenant().forEach(limiter::signals);
            } catch (RateLimitedException e) {
                admission.records = i;
                admission.throttledFor = Duration.ofSeconds(e.retryAfterSeconds());
                break;
            }
            admission.admitted.add(admitted);
            admission.admittedAt.add(i);
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
        Outcome[] outcomes = Arrays.copyOf(admission.outcomes, admission.records);
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

    private IngestService.Admitted admit(String channel, String subject, StreamRecord record, Instant now) {
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
        Caller caller = caller(subject, tenant, record);
        SignalJson.Parsed parsed = SignalJson.parse(SignalJson.utf8(record.value(), "the record's value"));
        checkRecordTime(parsed, record.timestamp(), now);
        IngestService.Admitted admitted = ingest.admit(caller, parsed.items(), parsed.batch(),
                new IngestService.Origin(channel, record.origin(), record.timestamp()));
        // The key keeps a tenant's records in order on one partition, so it must be their tenant.
        for (String written : admitted.perTenant().keySet()) {
            if (!written.equals(tenant)) {
                throw new CoherenceException(ErrorCode.FORBIDDEN, "the record's key is tenant " + tenant
                        + "; a record writes its key's tenant only, not " + written);
            }
        }
        return admitted;
    }

    /** Who wrote the record, as far as the trust model can tell. */
    private Caller caller(String subject, String tenant, StreamRecord record) {
        if (trust == StreamTrust.TOPIC_ACL) {
            return new Caller(subject, Optional.of(tenant), Set.of(Action.WRITE.scope()));
        }
        String header = record.authorization();
        if (header == null || header.isBlank()) {
            throw new CoherenceException(ErrorCode.UNAUTHENTICATED,
                    "the record has no authorization header; each record carries Bearer <token> of its producer");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new CoherenceException(ErrorCode.UNAUTHENTICATED, "the record's authorization header is not Bearer <token>");
        }
        return tokens.verify(header.substring(7).trim()).caller();
    }

    /**
     * A signal without {@code ts} takes the record's timestamp, which the producer chose: it meets
     * the rules a {@code ts} meets (present, not too far ahead), or the record is refused. Its age is
     * checked against the tenant's retention tier with every other signal's ts, in {@link IngestService}.
     */
    private void checkRecordTime(SignalJson.Parsed parsed, Instant timestamp, Instant now) {
        List<SignalSubmission> items = parsed.items();
        if (items.stream().allMatch(item -> item.ts() != null)) {
            return;
        }
        String code;
        String problem;
        if (timestamp == null || timestamp.toEpochMilli() < 0) {
            code = "INVALID_TIMESTAMP";
            problem = "the record has no timestamp";
        } else if (timestamp.isAfter(now.plus(settings.maxFutureSkew()))) {
            code = "TS_IN_FUTURE";
            problem = "the record's timestamp " + timestamp + " is more than " + settings.maxFutureSkew() + " in the future";
        } else {
            return;
        }
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).ts() == null) {
                violations.add(new Violation(parsed.batch() ? i : null, "ts", code,
                        "is missing, and " + problem + "; send ts or fix the record's timestamp"));
            }
        }
        throw new CoherenceException(ErrorCode.BAD_USER_INPUT,
                problem + " (the ts of signals that carry none); nothing was written", violations);
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
