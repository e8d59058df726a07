package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateBuckets;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimitedException;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class IngestServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final IngestSettings SETTINGS =
            new IngestSettings(3, 1024 * 1024, Duration.parse("PT5M"));
    private static final Caller WRITER = new Caller("alice", Optional.of("tenant-a"), Set.of("coherence:write"));

    private static ValidatorFactory validators;

    private FakeSignalRepository repository;
    private GroupCommitWriter writer;
    private IngestService service;

    @BeforeAll
    static void createValidator() {
        validators = Validation.buildDefaultValidatorFactory();
    }

    @AfterAll
    static void closeValidator() {
        validators.close();
    }

    /** Buckets that never refill: each tenant may ingest 10 signals in a test. */
    private final Map<String, Long> spent = new HashMap<>();
    private final RateBuckets buckets = (key, limit, tokens) -> {
        long after = spent.getOrDefault(key, 0L) + tokens;
        if (after > limit.burst()) {
            return Admission.refused(Duration.ofMillis(1500), null);
        }
        spent.put(key, after);
        return Admission.ADMITTED;
    };

    @Test
    void aTenantOverItsSignalRateIsRefusedWithNothingWritten() {
        Caller caller = new Caller("sub", Optional.of("tenant-a"), Set.of("coherence:write"));
        for (int batch = 0; batch < 3; batch++) {
            double base = batch / 10.0;
            service.ingest(caller, List.of(item("tenant-a", base + 0.01), item("tenant-a", base + 0.02),
                    item("tenant-a", base + 0.03)), true, "http");
        }
        int stored = repository.count();

        RateLimitedException e = catchThrowableOfType(RateLimitedException.class, () -> service.ingest(caller,
                List.of(item("tenant-a", 0.91), item("tenant-a", 0.92), item("tenant-a", 0.93)), true, "http"));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.retryAfterSeconds()).isEqualTo(2);
        assertThat(e.getMessage()).contains("signals per second of tenant");
        assertThat(repository.count()).isEqualTo(stored);
        // What is left still passes.
        service.ingest(caller, List.of(item("tenant-a", 0.94)), true, "http");
        assertThat(repository.count()).isEqualTo(stored + 1);
    }

    /** Tenants with their own data policy; the others have the defaults. */
    private final Map<String, TenantDataPolicy> policies = new HashMap<>();

    private TenantDataPolicy policyOf(TenantId tenant) {
        return policies.getOrDefault(tenant.value(), TenantDataPolicy.defaults(tenant, TAGS));
    }

    private void setPolicy(String tenant, RetentionTier tier, String purpose) {
        policies.put(tenant, new TenantDataPolicy(TenantId.of(tenant), tier, purpose, "CC-BY-4.0", "US", false, NOW));
    }

    @Test
    void aTsOlderThanTheTenantsTierIsRefusedWithNothingWritten() {
        setPolicy("tenant-a", RetentionTier.EPHEMERAL_7D, "benchmarking");
        String eightDays = NOW.minus(Duration.ofDays(8)).toString();

        CoherenceException e = refused(WRITER, List.of(itemAt("tenant-a", 0.5, NOW.minus(Duration.ofDays(6)).toString()),
                itemAt("tenant-a", 0.6, eightDays)), true);

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(1, "ts", "TS_BEYOND_RETENTION"));
        assertThat(e.violations().get(0).message()).contains("ephemeral-7d").contains(NOW.minus(Duration.ofDays(7)).toString());
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void theDefaultTierAcceptsAYearAndNoMore() {
        service.ingest(WRITER, List.of(itemAt("tenant-a", 0.5, NOW.minus(Duration.ofDays(365)).toString())), false, "http");

        CoherenceException e = refused(WRITER,
                List.of(itemAt("tenant-a", 0.5, NOW.minus(Duration.ofDays(365)).minusMillis(1).toString())), false);

        assertThat(e.violations()).extracting(Violation::code).containsExactly("TS_BEYOND_RETENTION");
        assertThat(saved()).hasSize(1);
    }

    @Test
    void aTenantUnderHoldAcceptsOldSignalsSinceNothingOfItIsPruned() {
        policies.put("tenant-a", new TenantDataPolicy(TenantId.of("tenant-a"), RetentionTier.EPHEMERAL_7D, "p", "l", "US", true, NOW));

        service.ingest(WRITER, List.of(itemAt("tenant-a", 0.5, NOW.minus(Duration.ofDays(30)).toString())), false, "http");

        assertThat(saved()).hasSize(1);
    }

    @Test
    void aLegalHoldTierAcceptsAnyPastTs() {
        setPolicy("tenant-a", RetentionTier.LEGAL_HOLD, "litigation");

        service.ingest(WRITER, List.of(itemAt("tenant-a", 0.5, "2001-01-01T00:00:00Z")), false, "http");

        assertThat(saved()).hasSize(1);
    }

    @Test
    void anotherTenantsTierIsNotRevealedToACallerWhoMayNotWriteIt() {
        setPolicy("tenant-b", RetentionTier.EPHEMERAL_7D, "benchmarking");

        CoherenceException e = refused(WRITER, List.of(itemAt("tenant-b", 0.5, NOW.minus(Duration.ofDays(8)).toString())), false);

        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(e.getMessage()).doesNotContain("ephemeral");
    }

    @Test
    void signalsCarryTheirTenantsPolicyTagsAsProvenance() {
        setPolicy("tenant-a", RetentionTier.SHORT_30D, "fraud-detection");
        Caller both = new Caller("ops", Optional.of("tenant-a"), Set.of("coherence:write"));

        service.ingest(both, List.of(item("tenant-a", 0.5)), false, "http");

        assertThat(saved()).singleElement().extracting(signal -> signal.provenance().tags())
                .isEqualTo(new PolicyTags("fraud-detection", "short-30d", "CC-BY-4.0", "US"));
    }

    @BeforeEach
    void wire() {
        repository = new FakeSignalRepository();
        writer = new GroupCommitWriter(repository, new WriterSettings(100, Duration.ZERO, 1, Duration.ofSeconds(10), 100));
        IngestMetrics metrics = new SilentIngestMetrics();
        service = new IngestService(new SignalValidation(validators.getValidator()),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US, this::policyOf, null), this::policyOf,
                new RateLimiter(buckets, () -> new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, new RateLimit(10, 10))),
                writer, SETTINGS, metrics, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void closeWriter() {
        writer.close();
    }

    private static SignalSubmission item(String tenant, double value) {
        return new SignalSubmission(tenant, "latency", value, null, "probe-1", null, null);
    }

    private static SignalSubmission itemAt(String tenant, double value, String ts) {
        return new SignalSubmission(tenant, "latency", value, null, "probe-1", ts, null);
    }

    private CoherenceException refused(Caller caller, List<SignalSubmission> items, boolean batch) {
        CoherenceException e = catchThrowableOfType(CoherenceException.class,
                () -> service.ingest(caller, items, batch, "http"));
        assertThat(e).as("the request should be refused").isNotNull();
        return e;
    }

    private List<Signal> saved() {
        return repository.committed().stream().flatMap(List::stream).toList();
    }

    @Test
    void anEmptyBatchIsRefused() {
        assertThat(refused(WRITER, List.of(), true).code()).isEqualTo(ErrorCode.EMPTY_BATCH);
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aBatchAboveTheLimitIsRefusedWhole() {
        List<SignalSubmission> four = Collections.nCopies(4, item("tenant-a", 0.5));

        assertThat(refused(WRITER, four, true).code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aBatchAtTheLimitIsAccepted() {
        List<SignalSubmission> three = List.of(item("tenant-a", 0.1), item("tenant-a", 0.2), item("tenant-a", 0.3));

        assertThat(service.ingest(WRITER, three, true, "http").items()).hasSize(3);
    }

    @Test
    void oneInvalidItemRefusesTheWholeBatchAndWritesNothing() {
        List<SignalSubmission> items = List.of(item("tenant-a", 0.5), item("tenant-a", 1.5), item("tenant-a", 0.7));

        CoherenceException e = refused(WRITER, items, true);

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(1, "value", "OUT_OF_RANGE"));
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aSingleInvalidItemHasNoIndex() {
        CoherenceException e = refused(WRITER, List.of(item("tenant-a", -1.0)), false);

        assertThat(e.violations()).extracting(Violation::index).containsExactly((Integer) null);
    }

    @Test
    void aCrossTenantItemForbidsTheWholeBatchAndWritesNothing() {
        List<SignalSubmission> items = List.of(item("tenant-a", 0.5), item("tenant-b", 0.5));

        assertThat(refused(WRITER, items, true).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aCallerWithoutTheWriteScopeIsForbidden() {
        Caller reader = new Caller("bob", Optional.of("tenant-a"), Set.of("coherence:read"));

        assertThat(refused(reader, List.of(item("tenant-a", 0.5)), false).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void aTokenWithoutTenantIsForbidden() {
        Caller anonymousTenant = new Caller("carol", Optional.empty(), Set.of("coherence:write", "coherence:read"));

        assertThat(refused(anonymousTenant, List.of(item("tenant-a", 0.5)), false).code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(repository.calls()).isEmpty();
    }

    @Test
    void acceptedSignalsAreAnsweredInRequestOrder() {
        List<SignalSubmission> items = List.of(
                new SignalSubmission("tenant-a", "latency", 0.9, 2.5, "probe-1", "2026-03-01T11:00:00Z", "client-1"),
                item("tenant-a", 0.1),
                new SignalSubmission("tenant-a", "errors", 0.4, null, "probe-2", "2026-03-01T12:30:00+01:00", null));

        IngestReceipt receipt = service.ingest(WRITER, items, true, "graphql");

        List<Signal> saved = saved();
        assertThat(saved).hasSize(3);
        assertThat(receipt.items()).extracting(IngestReceipt.Item::signalId, IngestReceipt.Item::provenanceId,
                        IngestReceipt.Item::status)
                .containsExactly(
                        tuple("client-1", saved.get(0).provenance().provenanceId(), "accepted"),
                        tuple(saved.get(1).identity().signalId(), saved.get(1).provenance().provenanceId(), "accepted"),
                        tuple(saved.get(2).identity().signalId(), saved.get(2).provenance().provenanceId(), "accepted"));
        assertThat(receipt.accepted()).isEqualTo(3);
        assertThat(receipt.duplicates()).isZero();
        assertThat(saved).extracting(Signal::type).containsExactly("latency", "latency", "errors");
        assertThat(saved.get(0).weight()).isEqualTo(2.5);
        assertThat(saved.get(0).ts()).isEqualTo(Instant.parse("2026-03-01T11:00:00Z"));
        assertThat(saved.get(2).ts()).isEqualTo(Instant.parse("2026-03-01T11:30:00Z"));
    }

    @Test
    void anAbsentSignalIdIsDerivedFromTheContentWithDefaultWeightAndTimestamp() {
        IngestReceipt receipt = service.ingest(WRITER, List.of(item("tenant-a", 0.25)), false, "http");

        String expected = SignalIdentity.deriveSignalId(TenantId.of("tenant-a"), "latency", 0.25, 1.0, "probe-1", NOW);
        assertThat(receipt.items()).extracting(IngestReceipt.Item::signalId).containsExactly(expected);
        Signal signal = saved().get(0);
        assertThat(signal.identity()).isEqualTo(new SignalIdentity(TenantId.of("tenant-a"), "probe-1", expected, NOW));
        assertThat(signal.weight()).isEqualTo(1.0);
        assertThat(signal.ts()).isEqualTo(NOW);
        assertThat(signal.value()).isEqualTo(0.25);
    }

    @Test
    void theDerivedIdIsStableSoARetryIsADuplicateOfTheOriginal() {
        IngestReceipt first = service.ingest(WRITER, List.of(item("tenant-a", 0.25)), false, "http");
        IngestReceipt retry = service.ingest(WRITER, List.of(item("tenant-a", 0.25)), false, "http");

        assertThat(retry.items().get(0).signalId()).isEqualTo(first.items().get(0).signalId());
        assertThat(retry.items().get(0).status()).isEqualTo("duplicate");
        assertThat(retry.items().get(0).provenanceId()).isEqualTo(first.items().get(0).provenanceId());
        assertThat(retry.duplicates()).isEqualTo(1);
    }

    @Test
    void aProvidedSignalIdIsKept() {
        SignalSubmission item = new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", null, "client-42");

        IngestReceipt receipt = service.ingest(WRITER, List.of(item), false, "http");

        assertThat(receipt.items().get(0).signalId()).isEqualTo("client-42");
        assertThat(saved().get(0).identity().signalId()).isEqualTo("client-42");
    }

    /** Only a client's signal id without ts is matched on the id alone: the retry's ts will differ. */
    @Test
    void theTsIsMarkedAssignedOnlyForAClientSignalIdWithoutTs() {
        service.ingest(WRITER, List.of(
                new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", null, "client-1"),
                new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", "2026-03-01T11:00:00Z", "client-2"),
                new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", null, null)), true, "http");

        assertThat(saved()).extracting(s -> s.identity().signalId().startsWith("sha256:") ? "derived" : s.identity().signalId(),
                Signal::ts, Signal::tsAssigned).containsExactly(
                tuple("client-1", NOW, true),
                tuple("client-2", Instant.parse("2026-03-01T11:00:00Z"), false),
                tuple("derived", NOW, false));
    }

    @Test
    void everySignalCarriesTheDefaultPolicyTagsTheChannelAndItsOwnProvenanceId() {
        service.ingest(WRITER, List.of(item("tenant-a", 0.1), item("tenant-a", 0.2)), true, "kafka");

        List<Signal> saved = saved();
        assertThat(saved).allSatisfy(s -> {
            assertThat(s.provenance().tags()).isEqualTo(TAGS);
            assertThat(s.provenance().channel()).isEqualTo("kafka");
            assertThat(s.provenance().provenanceId())
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        });
        assertThat(saved.get(0).provenance().provenanceId()).isNotEqualTo(saved.get(1).provenance().provenanceId());
    }

    @Test
    void theRequestHashIsSha256HexAndDependsOnlyOnTheContent() {
        service.ingest(WRITER, List.of(item("tenant-a", 0.25)), false, "http");
        service.ingest(WRITER, List.of(item("tenant-a", 0.25)), false, "graphql");
        service.ingest(WRITER, List.of(item("tenant-a", 0.26)), false, "http");

        List<String> hashes = saved().stream().map(s -> s.provenance().requestHash()).toList();
        assertThat(hashes).allSatisfy(h -> assertThat(h).matches("[0-9a-f]{64}"));
        assertThat(hashes.get(1)).isEqualTo(hashes.get(0));
        assertThat(hashes.get(2)).isNotEqualTo(hashes.get(0));
    }

    @Test
    void theSameInstantWithAnotherOffsetIsTheSameSignal() {
        SignalSubmission utc = new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", "2026-03-01T11:00:00Z", "s-1");
        SignalSubmission cet = new SignalSubmission("tenant-a", "latency", 0.5, null, "probe-1", "2026-03-01T12:00:00+01:00", "s-1");

        service.ingest(WRITER, List.of(utc), false, "http");
        IngestReceipt again = service.ingest(WRITER, List.of(cet), false, "http");

        assertThat(again.items().get(0).status()).isEqualTo("duplicate");
    }
}
