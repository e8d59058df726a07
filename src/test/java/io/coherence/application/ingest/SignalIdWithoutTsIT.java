package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.infrastructure.neo4j.Neo4jSignalRepository;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.MovableClock;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/**
 * A client that names its signal ({@code signalId}) but lets the service stamp the time can retry:
 * the retry arrives later, so it is stamped later, and must still be the signal already stored.
 * The ingest service over the real Neo4j adapter, its clock moved between attempts.
 */
class SignalIdWithoutTsIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final IngestSettings SETTINGS =
            new IngestSettings(100, 1024 * 1024, Duration.parse("PT5M"));

    private static ValidatorFactory validators;
    private static Driver driver;

    private final MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    private final String tenant = "it-ts-" + UUID.randomUUID();
    private final Caller writerOfTenant = new Caller("it", Optional.of(tenant), Set.of("coherence:write"));
    private GroupCommitWriter writer;
    private IngestService service;

    @BeforeAll
    static void start() {
        validators = Validation.buildDefaultValidatorFactory();
        driver = EmbeddedEngines.shared().neo4jDriver();
    }

    @AfterAll
    static void stop() {
        driver.close();
        validators.close();
    }

    @BeforeEach
    void wire() {
        writer = new GroupCommitWriter(new Neo4jSignalRepository(driver),
                new WriterSettings(100, Duration.ZERO, 1, Duration.ofSeconds(30), 100));
        IngestMetrics metrics = new SilentIngestMetrics();
        service = new IngestService(new SignalValidation(validators.getValidator()),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), PolicySettingsFixture.DEFAULTS,
                new RateLimiter((key, limit, tokens) -> Admission.ADMITTED,
                        () -> new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, RateLimit.OFF)),
                writer, SETTINGS, metrics, clock);
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private SignalSubmission named(String signalId, double value, String ts) {
        return new SignalSubmission(tenant, "latency", value, null, "probe-7", ts, signalId);
    }

    private IngestReceipt.Item ingest(SignalSubmission item) {
        return service.ingest(writerOfTenant, List.of(item), false, "http").items().get(0);
    }

    private List<Record> stored() {
        try (var session = driver.session()) {
            return session.run("MATCH (:Tenant {tenant_id: $t})-[:EMITS]->(s:Signal) RETURN s.signal_id AS id, s.ts AS ts "
                    + "ORDER BY s.ts", Map.of("t", tenant)).list();
        }
    }

    @Test
    void aRetryOfASignalIdWithoutTsIsADuplicateOfTheFirstDelivery() {
        Instant first = clock.instant();
        IngestReceipt.Item original = ingest(named("p7-0001", 0.91, null));
        clock.advance(Duration.ofSeconds(3));

        IngestReceipt.Item retry = ingest(named("p7-0001", 0.91, null));

        assertThat(original.status()).isEqualTo("accepted");
        assertThat(retry.status()).isEqualTo("duplicate");
        assertThat(retry.provenanceId()).isEqualTo(original.provenanceId());
        assertThat(stored()).extracting(r -> r.get("id").asString(), r -> r.get("ts").asZonedDateTime().toInstant())
                .containsExactly(tuple("p7-0001", first));
    }

    @Test
    void aKafkaRecordSentAgainUnderANewTimestampIsADuplicate() {
        Instant recordTs = clock.instant().minusSeconds(60);
        IngestService.Admitted first = service.admit(writerOfTenant, List.of(named("k-1", 0.5, null)), false,
                new IngestService.Origin("kafka", "signals/0@10", recordTs));
        IngestService.Admitted again = service.admit(writerOfTenant, List.of(named("k-1", 0.5, null)), false,
                new IngestService.Origin("kafka", "signals/1@42", recordTs.plusSeconds(30)));

        List<IngestReceipt> receipts = service.commit(List.of(first));
        List<IngestReceipt> retried = service.commit(List.of(again));

        assertThat(receipts.get(0).items().get(0).status()).isEqualTo("accepted");
        assertThat(retried.get(0).items().get(0).status()).isEqualTo("duplicate");
        assertThat(stored()).hasSize(1);
    }

    @Test
    void withoutTsTheSignalIdFindsASignalStoredWithAnExplicitTs() {
        Instant earlier = clock.instant().minusSeconds(600);
        IngestReceipt.Item explicit = ingest(named("p7-0002", 0.4, earlier.toString()));

        IngestReceipt.Item retry = ingest(named("p7-0002", 0.4, null));

        assertThat(retry.status()).isEqualTo("duplicate");
        assertThat(retry.provenanceId()).isEqualTo(explicit.provenanceId());
        assertThat(stored()).hasSize(1);
    }

    @Test
    void withTsTheIdentityStillIncludesIt() {
        Instant at = clock.instant().minusSeconds(60);
        ingest(named("p7-0003", 0.4, at.toString()));

        IngestReceipt.Item later = ingest(named("p7-0003", 0.4, at.plusSeconds(1).toString()));

        assertThat(later.status()).isEqualTo("accepted");
        assertThat(stored()).hasSize(2);
    }

    @Test
    void twoItemsOfOneBatchWithTheSameSignalIdAndNoTsAreOneSignal() {
        IngestReceipt receipt = service.ingest(writerOfTenant,
                List.of(named("p7-0004", 0.1, null), named("p7-0004", 0.1, null)), true, "http");

        assertThat(receipt.items()).extracting(IngestReceipt.Item::status).containsExactly("accepted", "duplicate");
        assertThat(stored()).hasSize(1);
    }

}
