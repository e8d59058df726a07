package io.coherence.application.scoring;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.RecordingEventBus;
import io.coherence.application.events.ScoreChanged;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreProjection;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ScoreMaterializerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final ScoringSettings SETTINGS =
            new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(10), Duration.ofMinutes(1), 500);
    private static final ScoringSettings FIFTY =
            new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(10), Duration.ofMinutes(1), 50);
    private static final TenantId A = TenantId.of("tenant-a");
    private static final TenantId B = TenantId.of("tenant-b");
    private static final TenantId C = TenantId.of("tenant-c");

    /** What the fakes were asked to do, in order, across all of them. */
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final FakeSignals signals = new FakeSignals();
    private final FakeScores scores = new FakeScores();
    private final FakeProjection projection = new FakeProjection();
    private final FakeCache cache = new FakeCache();
    private final FakeLock lock = new FakeLock();
    private final MovableClock clock = new MovableClock(NOW);
    private final RecordingEventBus bus = new RecordingEventBus();
    private final ScoreMaterializer materializer =
            new ScoreMaterializer(signals, scores, projection, cache, SETTINGS, lock, clock, bus);

    @Test
    void pendingTenantsAreScoredAndWrittenToRepositoryThenProjectionThenCache() {
        projection.pending.addAll(List.of(new PendingTenant(A, 3), new PendingTenant(B, 5)));
        signals.totals.put(A, new WindowTotals(1.6, 2.0, 2));

        int scored = materializer.run();

        assertThat(scored).isEqualTo(2);
        CoherenceScore a = new CoherenceScore(A, 0.8, ScoreStatus.HEALTHY, NOW);
        CoherenceScore b = CoherenceScore.unknown(B, NOW);
        assertThat(events).containsExactly(
                "pending 500",
                "totals tenant-a from 2026-02-28T12:00:00Z", "upsert " + a, "record " + a + " v3", "cache " + a,
                "totals tenant-b from 2026-02-28T12:00:00Z", "upsert " + b, "record " + b + " v5", "cache " + b,
                "scoredBefore 2026-03-01T11:59:00Z limit 500");
        assertThat(scores.stored).containsEntry(A, a).containsEntry(B, b);
        assertThat(cache.entries).containsEntry(A, a).containsEntry(B, b);
    }

    @Test
    void staleTenantsAreRefreshedWithVersionMinusOne() {
        projection.stale.addAll(List.of(C));
        signals.totals.put(C, new WindowTotals(0.3, 1.0, 1));

        assertThat(materializer.run()).isEqualTo(1);

        CoherenceScore c = new CoherenceScore(C, 0.3, ScoreStatus.CRITICAL, NOW);
        assertThat(projection.recorded).containsExactly("record " + c + " v-1");
        assertThat(scores.stored).containsEntry(C, c);
        assertThat(cache.entries).containsEntry(C, c);
    }

    @Test
    void aRunRefreshesStaleScoresForOneIntervalAtMostWhileEveryPendingTenantIsScored() {
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1)));
        projection.stale.add(C);
        signals.slow.put(A, SETTINGS.interval());

        assertThat(materializer.run()).as("A and B, though A took the whole interval").isEqualTo(2);
        assertThat(signals.reads(C)).as("the stale one waits").isZero();

        projection.pending.clear();
        projection.stale.clear();
        projection.stale.addAll(List.of(A, B, C));
        for (TenantId t : List.of(A, B, C)) {
            signals.slow.put(t, SETTINGS.interval().dividedBy(2));
        }
        assertThat(materializer.run()).as("C (never scored, so oldest), then A: one interval").isEqualTo(2);
        assertThat(signals.reads(B)).as("B waits for the next run").isEqualTo(1);

        signals.slow.clear();
        assertThat(materializer.run()).as("B first now, then the others").isEqualTo(3);
        assertThat(signals.reads(B)).isEqualTo(2);
    }

    @Test
    void aTenantBothPendingAndStaleIsScoredOnceWithItsPendingVersion() {
        projection.pending.add(new PendingTenant(A, 7));
        projection.stale.addAll(List.of(A, C));

        assertThat(materializer.run()).isEqualTo(2);

        assertThat(projection.recorded).containsExactly(
                "record " + CoherenceScore.unknown(A, NOW) + " v7",
                "record " + CoherenceScore.unknown(C, NOW) + " v-1");
        assertThat(scores.upserts).hasValue(2);
    }

    @Test
    void aTenantThatFailsToReadDoesNotStopTheOthersAndStaysUnrecorded() {
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1), new PendingTenant(C, 1)));
        signals.failing.add(B);

        assertThat(materializer.run()).isEqualTo(2);

        assertThat(scores.stored).containsOnlyKeys(A, C);
        assertThat(projection.recordedTenants).containsExactly(A, C);
        assertThat(cache.entries).containsOnlyKeys(A, C);
        assertThat(bus.published()).extracting(CoherenceEvent::tenant).containsExactly(A, C);
    }

    @Test
    void everyStoredScoreIsPublishedForLiveSubscribersAfterItIsCached() {
        projection.pending.add(new PendingTenant(A, 2));
        signals.totals.put(A, new WindowTotals(1.6, 2.0, 2));

        materializer.run();

        assertThat(bus.published()).containsExactly(
                new ScoreChanged(new CoherenceScore(A, 0.8, ScoreStatus.HEALTHY, NOW), NOW));
    }

    @Test
    void aTenantThatFailsToStoreIsNeitherProjectedNorCached() {
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1)));
        projection.stale.add(C);
        scores.failing.add(A);

        assertThat(materializer.run()).isEqualTo(2);

        assertThat(projection.recordedTenants).containsExactly(B, C);
        assertThat(cache.entries).containsOnlyKeys(B, C);
    }

    /** Another replica stored a newer score: ours is older, so it must not reach the cache or subscribers. */
    @Test
    void aScoreOlderThanTheStoredOneIsRecordedButNeitherCachedNorPublished() {
        CoherenceScore newer = new CoherenceScore(A, 0.9, ScoreStatus.HEALTHY, NOW.plusSeconds(1));
        scores.stored.put(A, newer);
        projection.pending.add(new PendingTenant(A, 4));

        assertThat(materializer.run()).isEqualTo(1);

        assertThat(scores.stored).containsEntry(A, newer);
        assertThat(projection.recorded).containsExactly("record " + CoherenceScore.unknown(A, NOW) + " v4");
        assertThat(cache.entries).isEmpty();
        assertThat(bus.published()).isEmpty();
    }

    @Test
    void aFailedProjectionLeavesTheTenantUncachedAndUncounted() {
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1)));
        projection.failing.add(A);

        assertThat(materializer.run()).isEqualTo(1);

        assertThat(cache.entries).containsOnlyKeys(B);
    }

    @Test
    void nothingToDoScoresNobody() {
        assertThat(materializer.run()).isZero();
        assertThat(scores.upserts).hasValue(0);
        assertThat(cache.entries).isEmpty();
    }

    /**
     * 300 tenants wait for their first score and one fails every time; a run takes 50. The others
     * all get theirs, and the failing one is retried with a growing pause instead of every run.
     */
    @Test
    void aFailingTenantIsBackedOffWhileHundredsOfOthersGetTheirFirstScore() {
        ScoreMaterializer fifty = new ScoreMaterializer(signals, scores, projection, cache, FIFTY, lock, clock, bus);
        projection.storeLike = true;
        TenantId failing = TenantId.of("a-failing");
        signals.failing.add(failing);
        projection.pending.add(new PendingTenant(failing, 1));
        List<TenantId> others = tenants("t-", 300);
        others.forEach(t -> projection.pending.add(new PendingTenant(t, 1)));

        for (int run = 0; run < 8; run++) {
            fifty.run();
            clock.advance(SETTINGS.interval());
        }

        assertThat(scores.stored.keySet()).containsAll(others);
        assertThat(signals.reads(failing)).as("attempts on the failing tenant in 8 runs").isBetween(2, 3);
    }

    /** More tenants fail than one run takes: they must not fill every run. */
    @Test
    void tenantsFailingBeyondARunsShareStillLeaveRoomForTheOthers() {
        ScoreMaterializer fifty = new ScoreMaterializer(signals, scores, projection, cache, FIFTY, lock, clock, bus);
        projection.storeLike = true;
        List<TenantId> failing = tenants("a-failing-", 60);
        signals.failing.addAll(failing);
        failing.forEach(t -> projection.pending.add(new PendingTenant(t, 1)));
        List<TenantId> others = tenants("t-", 240);
        others.forEach(t -> projection.pending.add(new PendingTenant(t, 1)));

        for (int run = 0; run < 12; run++) {
            fifty.run();
            clock.advance(SETTINGS.interval());
        }

        assertThat(scores.stored.keySet()).containsAll(others);
    }

    /** The stale list is oldest first, so a tenant that keeps failing there is first every run. */
    @Test
    void aStaleTenantThatKeepsFailingIsBackedOffToo() {
        projection.stale.addAll(List.of(A, B));
        signals.failing.add(A);

        for (int run = 0; run < 8; run++) {
            materializer.run();
            clock.advance(SETTINGS.interval());
        }

        assertThat(signals.reads(A)).isBetween(2, 3);
        assertThat(signals.reads(B)).isEqualTo(8);
    }

    @Test
    void aFailingTenantIsCountedAndNamedForReadinessAndLeavesTheLag() {
        MaterializerMetrics metrics = new MaterializerMetrics(null, clock);
        ScoreMaterializer watched = new ScoreMaterializer(signals, scores, projection, cache, SETTINGS, lock, clock, bus, metrics);
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1)));
        signals.failing.add(A);

        watched.run();
        clock.advance(Duration.ofSeconds(5));
        watched.run();

        assertThat(metrics.status().failingTenants()).singleElement().satisfies(f -> {
            assertThat(f.tenant()).isEqualTo(A);
            assertThat(f.failures()).isEqualTo(1);
            assertThat(f.since()).isEqualTo(NOW);
            assertThat(f.retryAt()).isEqualTo(NOW.plus(SETTINGS.interval().multipliedBy(2)));
            assertThat(f.reason()).contains("graph unavailable");
        });
        assertThat(metrics.lagSeconds()).as("B was scored, A is failing: it is reported as such, not as lag").isZero();

        signals.failing.clear();
        clock.advance(Duration.ofSeconds(15));
        watched.run();

        assertThat(metrics.status().failingTenants()).isEmpty();
        assertThat(signals.reads(A)).isEqualTo(2);
    }

    /** Neo4j failing every read fails every tenant: their pauses must not grow, or scores would lag the recovery. */
    @Test
    void aStoreOutageDoesNotLengthenThePauses() {
        projection.pending.addAll(List.of(new PendingTenant(A, 1), new PendingTenant(B, 1)));
        signals.failing.addAll(List.of(A, B));
        for (int run = 0; run < 10; run++) {
            materializer.run();
            clock.advance(SETTINGS.interval());
        }

        signals.failing.clear();
        materializer.run();

        assertThat(scores.stored).containsOnlyKeys(A, B);
    }

    @Test
    void thePauseStartsAtTwoIntervalsAndDoublesUpToTheMaximum() {
        TenantBackoff backoff = new TenantBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

        assertThat(List.of(1, 2, 3, 8, 9, 1000).stream().map(backoff::pause).toList()).containsExactly(
                Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(256),
                Duration.ofMinutes(5), Duration.ofMinutes(5));
    }

    @Test
    void aFailureNotRetriedLongAfterItsPauseIsForgotten() {
        TenantBackoff backoff = new TenantBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        backoff.failed(A, NOW, new IllegalStateException("x"));

        backoff.expire(NOW.plusSeconds(2).plus(Duration.ofMinutes(5)));
        assertThat(backoff.failing()).hasSize(1);
        backoff.expire(NOW.plusSeconds(3).plus(Duration.ofMinutes(5)));
        assertThat(backoff.failing()).isEmpty();
    }

    private static List<TenantId> tenants(String prefix, int n) {
        List<TenantId> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(TenantId.of(String.format("%s%03d", prefix, i)));
        }
        return list;
    }

    @Test
    void runIfDueRunsOncePerInterval() {
        projection.pending.add(new PendingTenant(A, 1));

        materializer.runIfDue();
        clock.advance(Duration.ofSeconds(9));
        materializer.runIfDue();

        assertThat(lock.attempts).hasValue(1);
        assertThat(projection.pendingCalls).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        materializer.runIfDue();

        assertThat(lock.attempts).hasValue(2);
        assertThat(projection.pendingCalls).hasValue(2);
        assertThat(scores.stored.get(A).updatedAt()).isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void eachDueTickCountsWhetherItRanFoundTheLockHeldOrWasBlocked() {
        MaterializerMetrics metrics = new MaterializerMetrics(null, clock);
        ScoreMaterializer watched = new ScoreMaterializer(signals, scores, projection, cache, SETTINGS, lock, clock, bus, metrics);

        watched.runIfDue();
        clock.advance(Duration.ofSeconds(1));
        watched.runIfDue();
        clock.advance(SETTINGS.interval());
        lock.granted = false;
        watched.runIfDue();
        clock.advance(SETTINGS.interval());
        lock.failure = new IllegalStateException("PostgreSQL did not answer");
        watched.runIfDue();

        assertThat(metrics.attempts(MaterializerMetrics.Attempt.RAN)).as("the tick before the interval is not counted").isEqualTo(1);
        assertThat(metrics.attempts(MaterializerMetrics.Attempt.LOCK_HELD)).isEqualTo(1);
        assertThat(metrics.attempts(MaterializerMetrics.Attempt.BLOCKED)).isEqualTo(1);
    }

    @Test
    void aTickWhoseLockCannotBeTakenIsReportedBlockedUntilARunSucceeds() {
        MaterializerMetrics metrics = new MaterializerMetrics(null, clock);
        ScoreMaterializer watched = new ScoreMaterializer(signals, scores, projection, cache, SETTINGS, lock, clock, bus, metrics);
        lock.failure = new IllegalStateException("the materializer lock is unavailable: PostgreSQL did not answer");

        watched.runIfDue();
        clock.advance(Duration.ofSeconds(25));
        watched.runIfDue();

        assertThat(lock.attempts).hasValue(2);
        assertThat(metrics.status().state()).isEqualTo("blocked");
        assertThat(metrics.status().blockedSince()).isEqualTo(NOW);
        assertThat(metrics.status().reason()).contains("PostgreSQL did not answer");
        assertThat(metrics.lagSeconds()).as("the lag counts from the first tick that could not run").isEqualTo(25.0);
        assertThat(events).isEmpty();

        lock.failure = null;
        clock.advance(Duration.ofSeconds(10));
        watched.runIfDue();

        assertThat(metrics.status().state()).isEqualTo("running");
        assertThat(metrics.lagSeconds()).isZero();
        assertThat(events).contains("pending 500");
    }

    @Test
    void runIfDueDoesNothingWhenAnotherReplicaHoldsTheLock() {
        projection.pending.add(new PendingTenant(A, 1));
        projection.stale.add(C);
        lock.granted = false;

        materializer.runIfDue();

        assertThat(lock.attempts).hasValue(1);
        assertThat(projection.pendingCalls).hasValue(0);
        assertThat(events).isEmpty();
    }

    private final class FakeSignals implements SignalRepository {

        final Map<TenantId, WindowTotals> totals = new HashMap<>();
        final Set<TenantId> failing = new HashSet<>();
        final Map<TenantId, Integer> reads = new HashMap<>();
        /** How long reading a tenant's window takes (the clock moves on by that much). */
        final Map<TenantId, Duration> slow = new HashMap<>();

        int reads(TenantId tenant) {
            return reads.getOrDefault(tenant, 0);
        }

        @Override
        public List<WriteOutcome> saveAll(List<Signal> signals) {
            throw new UnsupportedOperationException("the materializer never writes signals");
        }

        @Override
        public WindowTotals windowTotals(TenantId tenant, Instant from) {
            events.add("totals " + tenant + " from " + from);
            reads.merge(tenant, 1, Integer::sum);
            clock.advance(slow.getOrDefault(tenant, Duration.ZERO));
            if (failing.contains(tenant)) {
                throw new IllegalStateException("graph unavailable");
            }
            return totals.getOrDefault(tenant, WindowTotals.EMPTY);
        }
    }

    private final class FakeScores implements ScoreRepository {

        final Map<TenantId, CoherenceScore> stored = new HashMap<>();
        final Set<TenantId> failing = new HashSet<>();
        final AtomicInteger upserts = new AtomicInteger();

        @Override
        public boolean upsert(CoherenceScore score) {
            events.add("upsert " + score);
            if (failing.contains(score.tenant())) {
                throw new IllegalStateException("database unavailable");
            }
            CoherenceScore existing = stored.get(score.tenant());
            if (existing != null && !score.updatedAt().isAfter(existing.updatedAt())) {
                return false;
            }
            upserts.incrementAndGet();
            stored.put(score.tenant(), score);
            return true;
        }

        @Override
        public Optional<CoherenceScore> find(TenantId tenant) {
            throw new UnsupportedOperationException("the materializer never reads scores");
        }

        @Override
        public boolean delete(TenantId tenant, Instant notAfter) {
            throw new UnsupportedOperationException("the materializer never deletes scores");
        }
    }

    private final class FakeProjection implements ScoreProjection {

        final List<PendingTenant> pending = new ArrayList<>();
        final List<TenantId> stale = new ArrayList<>();
        final List<String> recorded = new ArrayList<>();
        final List<TenantId> recordedTenants = new ArrayList<>();
        final Set<TenantId> failing = new HashSet<>();
        final AtomicInteger pendingCalls = new AtomicInteger();
        /** Behave like the graph: recording a version clears it, and the list honours the port's order and limit. */
        boolean storeLike;
        private final Map<TenantId, Integer> lastRecorded = new HashMap<>();
        private int records;

        @Override
        public List<TenantId> scoredBefore(Instant cutoff, int limit) {
            events.add("scoredBefore " + cutoff + " limit " + limit);
            // Oldest first, as the graph lists them: a tenant scored here moves to the back.
            List<TenantId> oldestFirst = new ArrayList<>(stale);
            oldestFirst.sort(Comparator.comparing((TenantId t) -> scores.stored.containsKey(t) ? scores.stored.get(t).updatedAt() : Instant.MIN));
            return List.copyOf(oldestFirst.subList(0, Math.min(limit, oldestFirst.size())));
        }

        @Override
        public List<PendingTenant> pending(int limit) {
            pendingCalls.incrementAndGet();
            events.add("pending " + limit);
            if (!storeLike) {
                return List.copyOf(pending);
            }
            // Least recently scored first, never scored before any, as ScoreProjection promises.
            List<PendingTenant> ordered = new ArrayList<>(pending);
            ordered.sort(Comparator.comparing((PendingTenant p) -> lastRecorded.getOrDefault(p.tenant(), -1))
                    .thenComparing(p -> p.tenant().value()));
            return List.copyOf(ordered.subList(0, Math.min(limit, ordered.size())));
        }

        @Override
        public void record(CoherenceScore score, long version) {
            String event = "record " + score + " v" + version;
            events.add(event);
            if (failing.contains(score.tenant())) {
                throw new IllegalStateException("graph unavailable");
            }
            recorded.add(event);
            recordedTenants.add(score.tenant());
            lastRecorded.put(score.tenant(), records++);
            if (storeLike) {
                pending.removeIf(p -> p.tenant().equals(score.tenant()) && p.version() <= version);
            }
        }
    }

    private final class FakeCache implements ScoreCache {

        final Map<TenantId, CoherenceScore> entries = new HashMap<>();

        @Override
        public Optional<CoherenceScore> get(TenantId tenant) {
            return Optional.ofNullable(entries.get(tenant));
        }

        @Override
        public void put(CoherenceScore score) {
            events.add("cache " + score);
            entries.put(score.tenant(), score);
        }

        @Override
        public void evict(TenantId tenant) {
            throw new UnsupportedOperationException("the materializer never evicts scores");
        }

    }

    private static final class FakeLock implements MaterializerLock {

        final AtomicInteger attempts = new AtomicInteger();
        volatile boolean granted = true;
        volatile RuntimeException failure;

        @Override
        public boolean runExclusively(Runnable task) {
            attempts.incrementAndGet();
            if (failure != null) {
                throw failure;
            }
            if (!granted) {
                return false;
            }
            task.run();
            return true;
        }
    }

}
