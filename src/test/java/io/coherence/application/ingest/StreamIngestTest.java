package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.provenance.PolicyTags;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.WriteOutcome;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamIngestTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant RECORD_TIME = NOW.minusSeconds(90);
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final IngestSettings SETTINGS =
            new IngestSettings(3, 256, Duration.parse("PT5M"), Duration.parse("P365D"), TAGS);

    /** Transactions of at most 4 signals. */
    private static final WriterSettings WRITER = new WriterSettings(4, Duration.ZERO, 1, Duration.ofSeconds(10), 100);

    private static ValidatorFactory validators;

    private FakeSignalRepository repository;
    private GroupCommitWriter writer;
    private StreamIngest stream;
    private int rateChecks;

    @BeforeAll
    static void createValidator() {
        validators = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeValidator() {
        validators.close();
    }

    @BeforeEach
    void wire() {
        repository = new FakeSignalRepository();
        writer = new GroupCommitWriter(repository, WRITER);
        IngestMetrics metrics = new IngestMetrics((MetricRegistry) null) {
            @Override
            void committed(String channel, List<WriteOutcome> outcomes, long nanos) {
            }

            @Override
            void rejected(String channel, int items) {
            }
        };
        RateLimiter limiter = new RateLimiter((key, limit, tokens) -> {
            rateChecks++;
            return Admission.refused(Duration.ofSeconds(1), null);
        }, () -> new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, new RateLimit(1, 1)));
        IngestService service = new IngestService(new SignalValidation(validators.getValidator()),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), limiter, writer, SETTINGS, metrics,
                Clock.fixed(NOW, ZoneOffset.UTC));
        stream = new StreamIngest(service, SETTINGS, WRITER);
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private static StreamIngest.StreamRecord record(String key, String value, long offset) {
        return record(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), offset);
    }

    private static StreamIngest.StreamRecord record(byte[] key, byte[] value, long offset) {
        return new StreamIngest.StreamRecord(key, value, "coherence.signals.v1/0@" + offset, RECORD_TIME);
    }

    private static String signal(String tenant, double value) {
        return "{\"tenantId\":\"" + tenant + "\",\"type\":\"latency\",\"value\":" + value + ",\"source\":\"probe\"}";
    }

    private List<Signal> saved() {
        return repository.committed().stream().flatMap(List::stream).toList();
    }

    private static StreamIngest.Refused refused(StreamIngest.Outcome outcome) {
        assertThat(outcome).isInstanceOf(StreamIngest.Refused.class);
        return (StreamIngest.Refused) outcome;
    }

    @Test
    void badRecordsAreRefusedOneByOneAndTheGoodOnesAreWrittenTogether() {
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                record("tenant-a", signal("tenant-a", 0.5), 10),
                record("tenant-a", "{not json", 11),
                record("tenant-b", "[" + signal("tenant-b", 0.1) + "," + signal("tenant-b", 0.2) + "]", 12),
                record("tenant-a", "[" + signal("tenant-a", 0.3) + "," + signal("tenant-a", 7) + "]", 13)));

        assertThat(outcomes.get(0)).isInstanceOf(StreamIngest.Committed.class);
        assertThat(refused(outcomes.get(1)).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(((StreamIngest.Committed) outcomes.get(2)).receipt().items()).hasSize(2);
        StreamIngest.Refused invalid = refused(outcomes.get(3));
        assertThat(invalid.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(invalid.reason()).endsWith(": [1]value OUT_OF_RANGE");
        assertThat(repository.committed()).as("one write for all admitted records").hasSize(1);
        assertThat(saved()).extracting(s -> s.tenant().value()).containsExactly("tenant-a", "tenant-b", "tenant-b");
    }

    @Test
    void admittedRecordsAreWrittenInTransactionsOfTheCommittersSizeInTheirOrder() {
        String three = "[" + signal("tenant-a", 0.1) + "," + signal("tenant-a", 0.2) + "," + signal("tenant-a", 0.3) + "]";
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                record("tenant-a", three, 1),
                record("tenant-a", signal("tenant-a", 0.4), 2),
                record("tenant-a", three.replace("0.", "0.5"), 3),
                record("tenant-a", signal("tenant-a", 0.6), 4)));

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(StreamIngest.Committed.class));
        assertThat(repository.committed()).extracting(List::size).containsExactly(4, 4);
        assertThat(saved()).extracting(Signal::value).containsExactly(0.1, 0.2, 0.3, 0.4, 0.51, 0.52, 0.53, 0.6);
    }

    @Test
    void theKeyIsTheCallerSoARecordCannotWriteAnotherTenant() {
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                record("tenant-a", signal("tenant-b", 0.5), 1),
                record((String) null, signal("tenant-b", 0.5), 2),
                record("  ", signal("tenant-b", 0.5), 3),
                record("tenant-a", "[" + signal("tenant-a", 0.5) + "," + signal("tenant-b", 0.5) + "]", 4)));

        assertThat(outcomes).allSatisfy(o -> assertThat(refused(o).code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(refused(outcomes.get(1)).reason()).contains("no key");
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void malformedBytesAndOversizedOrEmptyValuesAreRefusedWithTheirCode() {
        byte[] notUtf8 = {'"', (byte) 0xC3, '"'};
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                record("tenant-a", null, 1),
                record("tenant-a".getBytes(StandardCharsets.UTF_8), notUtf8, 2),
                record(notUtf8, signal("tenant-a", 0.5).getBytes(StandardCharsets.UTF_8), 3),
                record("tenant-a", "[" + signal("tenant-a", 0.1) + " ".repeat(300) + "]", 4),
                record("tenant-a", "[]", 5),
                record("tenant-a", "42", 6)));

        assertThat(outcomes).extracting(o -> refused(o).code()).containsExactly(ErrorCode.MALFORMED_JSON,
                ErrorCode.MALFORMED_JSON, ErrorCode.MALFORMED_JSON, ErrorCode.PAYLOAD_TOO_LARGE, ErrorCode.EMPTY_BATCH,
                ErrorCode.MALFORMED_JSON);
        assertThat(refused(outcomes.get(2)).reason()).contains("key is not valid UTF-8");
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aSignalWithoutTsTakesTheRecordsTimestampSoARedeliveryHasTheSameIdentity() {
        StreamIngest.StreamRecord once = record("tenant-a", signal("tenant-a", 0.5), 7);
        stream.ingest("kafka", "kafka:test", List.of(once));
        List<StreamIngest.Outcome> again = stream.ingest("kafka", "kafka:test", List.of(once));

        assertThat(((StreamIngest.Committed) again.get(0)).receipt().items().get(0).status()).isEqualTo("duplicate");
        assertThat(repository.count()).isEqualTo(1);
        Signal stored = saved().get(0);
        assertThat(stored.ts()).isEqualTo(RECORD_TIME);
        assertThat(stored.provenance().channel()).isEqualTo("kafka");
        assertThat(stored.provenance().origin()).isEqualTo("coherence.signals.v1/0@7");
    }

    @Test
    void aStreamIsNotMeteredByThePushRateLimitsItSetsItsOwnPace() {
        stream.ingest("kafka", "kafka:test", List.of(record("tenant-a", signal("tenant-a", 0.5), 1),
                record("tenant-a", signal("tenant-a", 0.6), 2)));

        assertThat(repository.count()).isEqualTo(2);
        assertThat(rateChecks).isZero();
    }

    @Test
    void whenTheStoreFailsNothingIsAnsweredAndTheCallerCanRetryTheSameRecords() {
        repository.failWhenSaving(s -> true);
        List<StreamIngest.StreamRecord> records = List.of(record("tenant-a", signal("tenant-a", 0.5), 1));

        CoherenceException e = catchThrowableOfType(CoherenceException.class,
                () -> stream.ingest("kafka", "kafka:test", records));
        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);

        repository.failWhenSaving(s -> false);
        assertThat(stream.ingest("kafka", "kafka:test", records).get(0)).isInstanceOf(StreamIngest.Committed.class);
        assertThat(repository.count()).isEqualTo(1);
    }
}
