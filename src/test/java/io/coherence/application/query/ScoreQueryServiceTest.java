package io.coherence.application.query;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.events.Dispatchers;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSettings;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.UncountedFanout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class ScoreQueryServiceTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final TenantId A = TenantId.of("tenant-a");
    private static final ScoringSettings SETTINGS =
            new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofMinutes(1), 500);
    private static final Caller READER = new Caller("alice", Optional.of("tenant-a"), Set.of("coherence:read"));

    /** The shared cache; the service reads it through a near cache (entries served for a second). */
    private final FakeCache cache = new FakeCache();
    private final FakeScores scores = new FakeScores();
    private final FakeSignals signals = new FakeSignals();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final EventDispatcher dispatcher = new EventDispatcher(
            new EventSettings(Duration.ofMillis(50), Duration.ZERO, 1000, 1000), UncountedFanout.INSTANCE);
    private final NearScoreCache near = new NearScoreCache(cache, dispatcher::dispatch, dispatcher,
            new NearCacheSettings(100, Duration.ofSeconds(1)), QueryMetrics.NONE, clock);
    private final ScoreQueryService service = new ScoreQueryService(new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), near,
            scores, signals, SETTINGS, QueryMetrics.NONE, clock);

    @AfterEach
    void stopDispatcher() {
        near.stop();
        Dispatchers.stop(dispatcher);
    }

    private CoherenceScore read(Caller caller, String tenantId) {
        ScoreAnswer answer = service.tenantCoherence(caller, tenantId);
        assertThat(answer.degraded()).as("served from the materialized scores").isFalse();
        return answer.score();
    }

    private CoherenceException refused(Caller caller, String tenantId) {
        CoherenceException e = catchThrowableOfType(CoherenceException.class,
                () -> service.tenantCoherence(caller, tenantId));
        assertThat(e).as("the query should be refused").isNotNull();
        return e;
    }

    @Test
    void aCacheHitDoesNotTouchTheRepository() {
        CoherenceScore cached = new CoherenceScore(A, 0.8, ScoreStatus.HEALTHY, NOW.minusSeconds(30));
        cache.entries.put(A, cached);

        assertThat(read(READER, "tenant-a")).isEqualTo(cached);
        assertThat(scores.finds).hasValue(0);
    }

    @Test
    void aCacheMissReadsTheRepositoryAndFillsTheCache() {
        CoherenceScore stored = new CoherenceScore(A, 0.42, ScoreStatus.CRITICAL, NOW.minusSeconds(60));
        scores.rows.put(A, stored);

        assertThat(read(READER, "tenant-a")).isEqualTo(stored);
        assertThat(scores.finds).hasValue(1);
        assertThat(cache.entries).containsEntry(A, stored);

        assertThat(read(READER, "tenant-a")).isEqualTo(stored);
        assertThat(scores.finds).hasValue(1);
    }

    @Test
    void aTenantWithoutAScoreIsUnknownWithScoreZero() {
        CoherenceScore score = read(READER, "tenant-a");

        assertThat(score).isEqualTo(new CoherenceScore(A, 0.0, ScoreStatus.UNKNOWN, NOW));
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void anotherTenantIsForbiddenBeforeAnyRead() {
        scores.rows.put(TenantId.of("tenant-b"), CoherenceScore.unknown(TenantId.of("tenant-b"), NOW));

        assertThat(refused(READER, "tenant-b").code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(cache.gets).hasValue(0);
        assertThat(scores.finds).hasValue(0);
    }

    @Test
    void aCallerWithoutTheReadScopeIsForbiddenBeforeAnyRead() {
        Caller writerOnly = new Caller("bob", Optional.of("tenant-a"), Set.of("coherence:write"));

        assertThat(refused(writerOnly, "tenant-a").code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(cache.gets).hasValue(0);
        assertThat(scores.finds).hasValue(0);
    }

    static Stream<Arguments> badTenantIds() {
        return Stream.of(
                arguments(null, "REQUIRED"),
                arguments("", "REQUIRED"),
                arguments("   ", "REQUIRED"),
                arguments("t".repeat(129), "TOO_LONG"),
                arguments("tenant\u0000a", "NOT_PRINTABLE"),
                arguments("tenant-a\n", "NOT_PRINTABLE"));
    }

    @ParameterizedTest
    @MethodSource("badTenantIds")
    void aBadTenantIdIsBadUserInputBeforeAnyRead(String tenantId, String code) {
        CoherenceException e = refused(READER, tenantId);

        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        assertThat(e.violations()).extracting(Violation::index, Violation::field, Violation::code)
                .containsExactly(tuple(null, "tenantId", code));
        assertThat(cache.gets).hasValue(0);
        assertThat(scores.finds).hasValue(0);
    }

    @Test
    void aTenantIdOf128CharactersIsAccepted() {
        String tenant = "t".repeat(128);
        Caller caller = new Caller("dave", Optional.of(tenant), Set.of("coherence:read"));

        assertThat(read(caller, tenant).status()).isEqualTo(ScoreStatus.UNKNOWN);
        assertThat(scores.finds).hasValue(1);
    }

    @Test
    void whenTheScoreStoreFailsTheScoreIsComputedFromTheSignalsAndMarkedDegraded() {
        scores.failure = new IllegalStateException("PostgreSQL did not answer");
        signals.totals.put(A, new WindowTotals(1.6, 2.0, 2));

        ScoreAnswer answer = service.tenantCoherence(READER, "tenant-a");

        assertThat(answer.degraded()).isTrue();
        assertThat(answer.score()).isEqualTo(new CoherenceScore(A, 0.8, ScoreStatus.HEALTHY, NOW));
        assertThat(signals.windowsFrom).containsExactly(NOW.minus(Duration.ofHours(24)));
        assertThat(cache.entries).as("a computed score is never cached").isEmpty();
        assertThat(near.size()).as("not even in the near cache").isZero();
    }

    @Test
    void afterADegradedReadTheNextReadGoesBackToTheScoreStore() {
        scores.failure = new IllegalStateException("PostgreSQL did not answer");
        signals.totals.put(A, new WindowTotals(1.6, 2.0, 2));
        assertThat(service.tenantCoherence(READER, "tenant-a").degraded()).isTrue();
        CoherenceScore stored = new CoherenceScore(A, 0.42, ScoreStatus.CRITICAL, NOW.minusSeconds(60));
        scores.rows.put(A, stored);
        scores.failure = null;

        assertThat(read(READER, "tenant-a")).isEqualTo(stored);
        assertThat(scores.finds).hasValue(2);
    }

    @Test
    void aDegradedReadOfATenantWithoutSignalsIsUnknown() {
        scores.failure = new IllegalStateException("circuit open");

        ScoreAnswer answer = service.tenantCoherence(READER, "tenant-a");

        assertThat(answer.degraded()).isTrue();
        assertThat(answer.score()).isEqualTo(CoherenceScore.unknown(A, NOW));
    }

    @Test
    void withBothStoresFailingTheReadIsStoreUnavailableNeverAScore() {
        scores.failure = new IllegalStateException("PostgreSQL did not answer");
        signals.failure = new IllegalStateException("Neo4j did not answer");

        CoherenceException e = refused(READER, "tenant-a");

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(e.getMessage()).doesNotContain("PostgreSQL").doesNotContain("Neo4j");
    }

    @Test
    void aCacheHitIsServedWhileTheScoreStoreFails() {
        CoherenceScore cached = new CoherenceScore(A, 0.6, ScoreStatus.WARN, NOW.minusSeconds(5));
        cache.entries.put(A, cached);
        scores.failure = new IllegalStateException("PostgreSQL did not answer");

        assertThat(read(READER, "tenant-a")).isEqualTo(cached);
        assertThat(signals.windowsFrom).isEmpty();
    }

    @Test
    void aForbiddenReadTouchesNoStoreEvenWhileDegraded() {
        scores.failure = new IllegalStateException("PostgreSQL did not answer");

        assertThat(refused(READER, "tenant-b").code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(signals.windowsFrom).isEmpty();
    }

    private static final class FakeSignals implements SignalRepository {

        final Map<TenantId, WindowTotals> totals = new HashMap<>();
        final List<Instant> windowsFrom = new java.util.ArrayList<>();
        RuntimeException failure;

        @Override
        public List<WriteOutcome> saveAll(List<Signal> signals) {
            throw new UnsupportedOperationException("queries never write");
        }

        @Override
        public WindowTotals windowTotals(TenantId tenant, Instant from) {
            if (failure != null) {
                throw failure;
            }
            windowsFrom.add(from);
            return totals.getOrDefault(tenant, WindowTotals.EMPTY);
        }
    }

    private static final class FakeCache implements SharedScoreCache {

        final Map<TenantId, CoherenceScore> entries = new HashMap<>();
        final AtomicInteger gets = new AtomicInteger();

        @Override
        public Optional<CoherenceScore> get(TenantId tenant) {
            gets.incrementAndGet();
            return Optional.ofNullable(entries.get(tenant));
        }

        @Override
        public void put(CoherenceScore score) {
            entries.put(score.tenant(), score);
        }

        @Override
        public void evict(TenantId tenant) {
            throw new UnsupportedOperationException("queries never evict");
        }

    }

    private static final class FakeScores implements ScoreRepository {

        final Map<TenantId, CoherenceScore> rows = new HashMap<>();
        final AtomicInteger finds = new AtomicInteger();
        RuntimeException failure;

        @Override
        public boolean upsert(CoherenceScore score) {
            throw new UnsupportedOperationException("queries never write");
        }

        @Override
        public Optional<CoherenceScore> find(TenantId tenant) {
            finds.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            return Optional.ofNullable(rows.get(tenant));
        }

        @Override
        public boolean delete(TenantId tenant, Instant notAfter) {
            throw new UnsupportedOperationException("queries never delete");
        }
    }
}
