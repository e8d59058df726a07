package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ingest from a stream of records (Kafka): the same validation, policy, identity and provenance
 * as a request, record by record, so one bad record never holds back the others; the records that
 * pass are written together, in one call to the group committer. A record's key is the tenant it
 * writes for: it acts as the record's caller, with the write scope and nothing else.
 */
@ApplicationScoped
public class StreamIngest {

    private final IngestService ingest;
    private final IngestSettings settings;

    /** For the CDI client proxy only. */
    protected StreamIngest() {
        this(null, null);
    }

    @Inject
    public StreamIngest(IngestService ingest, IngestSettings settings) {
        this.ingest = ingest;
        this.settings = settings;
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
     * Admits each record on its own and commits all admitted ones in one write. Answers one outcome
     * per record, in order. Throws STORE_UNAVAILABLE (nothing is then committed for sure) when the
     * store did not confirm the write: retry the same records; signal identities make that safe.
     *
     * @param channel the channel the provenance records (kafka)
     * @param subject who reads the stream, for the policy's log lines
     */
    public List<Outcome> ingest(String channel, String subject, List<StreamRecord> records) {
        Outcome[] outcomes = new Outcome[records.size()];
        List<IngestService.Admitted> admitted = new ArrayList<>();
        List<Integer> admittedAt = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            StreamRecord record = records.get(i);
            try {
                admitted.add(admit(channel, subject, record));
                admittedAt.add(i);
            } catch (CoherenceException e) {
                outcomes[i] = new Refused(e.code(), reason(e));
            }
        }
        if (!admitted.isEmpty()) {
            List<IngestReceipt> receipts = ingest.commit(admitted);
            for (int j = 0; j < receipts.size(); j++) {
                outcomes[admittedAt.get(j)] = new Committed(receipts.get(j));
            }
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
        String tenant = record.key() == null ? "" : utf8(record.key(), "key");
        if (tenant.isBlank()) {
            throw new CoherenceException(ErrorCode.FORBIDDEN, "the record has no key; the key must be the tenant id");
        }
        SignalJson.Parsed parsed = SignalJson.parse(utf8(record.value(), "value"));
        Caller caller = new Caller(subject, Optional.of(tenant), Set.of(Action.WRITE.scope()));
        return ingest.admit(caller, parsed.items(), parsed.batch(),
                new IngestService.Origin(channel, record.origin(), record.timestamp()));
    }

    private static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CoherenceException(ErrorCode.MALFORMED_JSON, "the record's " + what + " is not UTF-8");
        }
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
