package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.CallerClaims;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.application.security.TokenVerifier;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.PolicyTags;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
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
            new IngestSettings(3, 256, Duration.parse("PT5M"));

    /** Transactions of at most 4 signals. */
    private static final WriterSettings WRITER = new WriterSettings(4, Duration.ZERO, 1, Duration.ofSeconds(10), 100);

    private static ValidatorFactory validators;

    private FakeSignalRepository repository;
    private GroupCommitWriter writer;
    private IngestService service;
    private RateLimiter limiter;
    private StreamIngest stream;
    /** Tokens left in every tenant's signal bucket. */
    private long signalTokens = Long.MAX_VALUE;

    /** Test tokens: {@code tenant|scope scope}, verified as the caller with that tenant claim and scopes. */
    private static final TokenVerifier TOKENS = token -> {
        String[] parts = token.split("\\|", -1);
        if (parts.length != 2) {
            throw new CoherenceException(ErrorCode.UNAUTHENTICATED, "the token is not valid");
        }
        return new TokenVerifier.Verified(CallerClaims.caller("producer-" + parts[0], parts[0], parts[1]),
                NOW.plusSeconds(3600));
    };

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
        IngestMetrics metrics = new SilentIngestMetrics();
        limiter = new RateLimiter((key, limit, tokens) -> {
            if (tokens > signalTokens) {
                return Admission.refused(Duration.ofMillis(1500), null);
            }
            signalTokens -= tokens;
            return Admission.ADMITTED;
        }, () -> new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, new RateLimit(1, 1)));
        service = new IngestService(new SignalValidation(validators.getValidator()),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), PolicySettingsFixture.DEFAULTS, limiter, writer, SETTINGS, metrics,
                Clock.fixed(NOW, ZoneOffset.UTC));
        stream = trusting(StreamTrust.TOPIC_ACL);
    }

    private StreamIngest trusting(StreamTrust trust) {
        return new StreamIngest(service, SETTINGS, WRITER, limiter, TOKENS, trust, Clock.fixed(NOW, ZoneOffset.UTC));
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

    private static StreamIngest.StreamRecord stamped(String key, String value, long offset, Instant timestamp) {
        return new StreamIngest.StreamRecord(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                "coherence.signals.v1/0@" + offset, timestamp);
    }

    private static StreamIngest.StreamRecord authorized(String key, String value, long offset, String authorization) {
        return new StreamIngest.StreamRecord(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8),
                "coherence.signals.v1/0@" + offset, RECORD_TIME, authorization);
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
    void aSignalWithoutTsIsHeldToTheTimeRulesByItsRecordsTimestamp() {
        String withTs = "{\"tenantId\":\"tenant-a\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\",\"ts\":\""
                + NOW.minusSeconds(60) + "\"}";
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                stamped("tenant-a", signal("tenant-a", 0.1), 1, Instant.parse("2100-01-01T00:00:00Z")),
                stamped("tenant-a", signal("tenant-a", 0.2), 2, Instant.ofEpochMilli(-1)),
                stamped("tenant-a", signal("tenant-a", 0.3), 3, NOW.minus(Duration.ofDays(366))),
                stamped("tenant-a", "[" + withTs + "," + signal("tenant-a", 0.4) + "]", 4, NOW.plus(Duration.ofMinutes(6))),
                // Every signal has its ts: the record's timestamp does not matter.
                stamped("tenant-a", withTs, 5, Instant.parse("2100-01-01T00:00:00Z")),
                stamped("tenant-a", signal("tenant-a", 0.6), 6, NOW.plus(Duration.ofMinutes(4)))));

        assertThat(outcomes.subList(0, 4)).allSatisfy(o -> assertThat(refused(o).code()).isEqualTo(ErrorCode.BAD_USER_INPUT));
        assertThat(refused(outcomes.get(0)).reason()).contains("2100-01-01T00:00:00Z", "in the future").endsWith(": ts TS_IN_FUTURE");
        assertThat(refused(outcomes.get(1)).reason()).contains("no timestamp").endsWith(": ts INVALID_TIMESTAMP");
        assertThat(refused(outcomes.get(2)).reason()).endsWith(": ts TS_BEYOND_RETENTION");
        assertThat(refused(outcomes.get(3)).reason()).endsWith(": [1]ts TS_IN_FUTURE");
        assertThat(outcomes.subList(4, 6)).allSatisfy(o -> assertThat(o).isInstanceOf(StreamIngest.Committed.class));
        assertThat(saved()).extracting(Signal::ts).containsExactly(NOW.minusSeconds(60), NOW.plus(Duration.ofMinutes(4)));
    }

    @Test
    void aStreamSpendsItsTenantsSignalRateAndStopsBeforeTheRecordThatFindsItSpent() {
        signalTokens = 3;
        String two = "[" + signal("tenant-a", 0.1) + "," + signal("tenant-a", 0.2) + "]";
        List<StreamIngest.StreamRecord> records = List.of(record("tenant-a", two, 1),
                record("tenant-a", "{not json", 2), record("tenant-a", two.replace("0.", "0.3"), 3),
                record("tenant-a", signal("tenant-a", 0.9), 4));

        StreamIngest.Admission first = stream.admit("kafka", "kafka:test", records);
        assertThat(first.records()).as("records taken before the rate ran out").isEqualTo(2);
        assertThat(first.throttledFor()).isEqualTo(Duration.ofSeconds(2));
        List<StreamIngest.Outcome> outcomes = stream.commit(first);
        assertThat(outcomes).hasSize(2);
        assertThat(refused(outcomes.get(1)).code()).isEqualTo(ErrorCode.MALFORMED_JSON);
        assertThat(repository.count()).isEqualTo(2);

        // Nothing was refused for the rate: the rest is offered again once the bucket refilled.
        signalTokens = 10;
        StreamIngest.Admission rest = stream.admit("kafka", "kafka:test", records.subList(2, 4));
        assertThat(rest.records()).isEqualTo(2);
        assertThat(rest.throttledFor()).isZero();
        assertThat(stream.commit(rest)).allSatisfy(o -> assertThat(o).isInstanceOf(StreamIngest.Committed.class));
        assertThat(repository.count()).isEqualTo(5);
        assertThat(signalTokens).isEqualTo(7);
    }

    @Test
    void withTokenTrustARecordWritesOnlyWhatItsBearerTokenMayWrite() {
        StreamIngest guarded = trusting(StreamTrust.TOKEN);
        String body = signal("tenant-a", 0.5);
        List<StreamIngest.Outcome> outcomes = guarded.ingest("kafka", "kafka:test", List.of(
                authorized("tenant-a", body, 1, null),
                authorized("tenant-a", body, 2, "Basic dXNlcjpwdw=="),
                authorized("tenant-a", body, 3, "Bearer garbage"),
                authorized("tenant-a", body, 4, "Bearer tenant-b|coherence:write"),
                authorized("tenant-a", body, 5, "Bearer tenant-a|coherence:read"),
                authorized("tenant-b", body, 6, "Bearer tenant-a|coherence:write"),
                authorized("tenant-a", body, 7, "bearer tenant-a|coherence:write")));

        assertThat(outcomes.subList(0, 6)).extracting(o -> refused(o).code()).containsExactly(ErrorCode.UNAUTHENTICATED,
                ErrorCode.UNAUTHENTICATED, ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN, ErrorCode.FORBIDDEN,
                ErrorCode.FORBIDDEN);
        assertThat(refused(outcomes.get(0)).reason()).contains("no authorization header");
        assertThat(refused(outcomes.get(5)).reason()).contains("key is tenant tenant-b");
        assertThat(outcomes.get(6)).isInstanceOf(StreamIngest.Committed.class);
        assertThat(saved()).extracting(s -> s.tenant().value()).containsExactly("tenant-a");
    }

    @Test
    void withTopicAclTrustTheKeyIsTheCallerAndNoTokenIsAsked() {
        List<StreamIngest.Outcome> outcomes = stream.ingest("kafka", "kafka:test", List.of(
                authorized("tenant-a", signal("tenant-a", 0.5), 1, null)));

        assertThat(outcomes.get(0)).isInstanceOf(StreamIngest.Committed.class);
    }

    @Test
    void theTrustSettingIsTokenOrTopicAcl() {
        assertThat(StreamTrust.of("token")).isEqualTo(StreamTrust.TOKEN);
        assertThat(StreamTrust.of(" Topic-ACL ")).isEqualTo(StreamTrust.TOPIC_ACL);
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> StreamTrust.of("key")))
                .hasMessageContaining("token or topic-acl");
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
