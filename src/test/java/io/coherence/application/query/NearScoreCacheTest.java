package io.coherence.application.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.Dispatchers;
import io.coherence.application.events.EventBus;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSettings;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.ScoreRemoved;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import io.coherence.testsupport.UncountedFanout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' near caches over one shared cache, their events carried by an in-memory bridge
 * (what Redis pub/sub does between real replicas), time moved by hand.
 */
class NearScoreCacheTest {

    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMillis(500);
    private static final TenantId A = TenantId.of("tenant-a");

    private final MovableClock clock = new MovableClock(T0);
    private final FakeShared shared = new FakeShared();
    private final Bridge bridge = new Bridge();
    private final List<EventDispatcher> dispatchers = new ArrayList<>();
    private final List<NearScoreCache> caches = new ArrayList<>();

    @AfterEach
    void stop() {
        caches.forEach(NearScoreCache::stop);
        dispatchers.forEach(Dispatchers::stop);
    }

    private static CoherenceScore score(double value, long secondsAfter) {
        return new CoherenceScore(A, value, ScoreStatus.of(value), T0.plusSeconds(secondsAfter));
    }

    private NearScoreCache replica(NearCacheSettings settings) {
        EventDispatcher dispatcher = new EventDispatcher(
                new EventSettings(Duration.ofMillis(50), Duration.ZERO, 100_000, 100_000), UncountedFanout.INSTANCE);
        dispatchers.add(dispatcher);
        bridge.nodes.add(dispatcher);
        NearScoreCache cache = new NearScoreCache(shared, bridge.busOf(dispatcher), dispatcher, settings,
                QueryMetrics.NONE, clock);
        cache.start();
        caches.add(cache);
        return cache;
    }

    private NearScoreCache replica() {
        return replica(new NearCacheSettings(10_000, MAX_AGE));
    }

    /** What the materializer does on the replica: write through, then publish. */
    private void materialize(NearScoreCache on, CoherenceScore score) {
        on.put(score);
        bridge.busOf(dispatchers.get(caches.indexOf(on))).publish(List.of(new ScoreChanged(score, clock.instant())));
    }

    @Test
    void aSecondReadWithinTheMaxAgeIsServedWithoutTheSharedCache() {
        NearScoreCache near = replica();
        shared.entries.put(A, score(0.8, 0));

        assertThat(near.get(A)).contains(score(0.8, 0));
        clock.advance(MAX_AGE.minusMillis(1));
        assertThat(near.get(A)).contains(score(0.8, 0));

        assertThat(shared.gets).hasValue(1);
    }

    @Test
    void anEntryAsOldAsTheMaxAgeIsReadAgainFromTheSharedCache() {
        NearScoreCache near = replica();
        shared.entries.put(A, score(0.8, 0));
        near.get(A);
        // A newer score reached the shared cache, and its event was lost.
        shared.entries.put(A, score(0.3, 1));

        clock.advance(MAX_AGE);

        assertThat(near.get(A)).contains(score(0.3, 1));
        assertThat(shared.gets).hasValue(2);
    }

    @Test
    void aScoreMaterializedOnAnotherReplicaReplacesTheEntryAtOnce() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        shared.entries.put(A, score(0.8, 0));
        assertThat(b.get(A)).contains(score(0.8, 0));

        materialize(a, score(0.3, 1));

        assertThat(b.get(A)).contains(score(0.3, 1));
        assertThat(shared.gets).as("B's second read came from its near cache").hasValue(1);
    }

    @Test
    void aScoreChangedEventRestartsTheEntrysAge() {
        NearScoreCache near = replica();
        shared.entries.put(A, score(0.8, 0));
        near.get(A);
        clock.advance(MAX_AGE.minusMillis(100));

        materialize(near, score(0.3, 1));
        clock.advance(Duration.ofMillis(200));

        assertThat(near.get(A)).contains(score(0.3, 1));
        assertThat(shared.gets).hasValue(1);
    }

    @Test
    void anOlderScoreChangedNeverReplacesANewerEntry() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        shared.entries.put(A, score(0.3, 2));
        b.get(A);

        bridge.busOf(dispatchers.get(0)).publish(List.of(new ScoreChanged(score(0.8, 1), clock.instant())));

        assertThat(b.get(A)).contains(score(0.3, 2));
        assertThat(a.get(A)).contains(score(0.3, 2));
    }

    @Test
    void anOlderScoreReadFromPostgresNeverReplacesANewerOneAnotherReadFilled() {
        NearScoreCache near = replica();
        NearScoreCache.Lookup slow = near.lookup(A);
        NearScoreCache.Lookup fast = near.lookup(A);
        assertThat(slow.score()).isEmpty();

        fast.fill(score(0.3, 2));
        slow.fill(score(0.8, 1));

        assertThat(near.get(A)).contains(score(0.3, 2));
        assertThat(shared.entries).containsEntry(A, score(0.3, 2));
        assertThat(shared.gets).as("the third read was a near hit").hasValue(2);
    }

    @Test
    void aReadThatStartedBeforeAScoreChangedDoesNotFillTheNearCacheWithWhatItRead() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        shared.entries.put(A, score(0.8, 0));
        // While B's read is in the shared cache, A materializes a newer score; B's read returns the old one.
        shared.duringGet = () -> {
            shared.duringGet = null;
            materialize(a, score(0.3, 1));
        };
        shared.answerBeforeHook = true;

        assertThat(b.get(A)).contains(score(0.8, 0));

        assertThat(b.get(A)).as("not served from the near cache").contains(score(0.3, 1));
        assertThat(shared.gets).hasValue(2);
    }

    @Test
    void anEvictionOnOneReplicaReachesTheOthersNearCaches() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        shared.entries.put(A, score(0.8, 0));
        a.get(A);
        b.get(A);

        a.evict(A);

        assertThat(shared.evictions).containsExactly(A);
        assertThat(bridge.published).containsExactly(new ScoreRemoved(A, T0));
        assertThat(b.get(A)).isEmpty();
        assertThat(a.get(A)).isEmpty();
        assertThat(shared.gets).hasValue(4);
    }

    @Test
    void aFailedEvictionIsThrownAndStillDropsEveryNearCopy() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        shared.entries.put(A, score(0.8, 0));
        a.get(A);
        b.get(A);
        shared.evictFailure = new IllegalStateException("Redis did not answer");

        assertThatThrownBy(() -> a.evict(A)).isSameAs(shared.evictFailure);

        assertThat(bridge.published).containsExactly(new ScoreRemoved(A, T0));
        a.get(A);
        b.get(A);
        assertThat(shared.gets).as("both replicas asked the shared cache again").hasValue(4);
    }

    @Test
    void aReadFromPostgresThatStartedBeforeAnEvictionDoesNotFillTheNearCache() {
        NearScoreCache a = replica();
        NearScoreCache b = replica();
        NearScoreCache.Lookup read = b.lookup(A);

        a.evict(A);
        read.fill(score(0.8, 0));
        shared.entries.remove(A);

        assertThat(b.get(A)).isEmpty();
        assertThat(shared.gets).hasValue(2);
    }

    @Test
    void aScoreOfAnotherTenantCannotFillALookupAndNothingIsCached() {
        NearScoreCache near = replica();
        NearScoreCache.Lookup read = near.lookup(A);
        CoherenceScore other = new CoherenceScore(TenantId.of("tenant-b"), 0.5, ScoreStatus.WARN, T0);

        assertThatThrownBy(() -> read.fill(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant-b").hasMessageContaining("tenant-a");
        assertThat(shared.entries).isEmpty();
        assertThat(near.size()).isZero();
    }

    @Test
    void theNearCacheHoldsAtMostItsSize() {
        NearScoreCache near = replica(new NearCacheSettings(2, MAX_AGE));
        for (int i = 0; i < 5; i++) {
            TenantId tenant = TenantId.of("tenant-" + i);
            shared.entries.put(tenant, new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, T0));
            near.get(tenant);
        }

        assertThat(near.size()).isEqualTo(2);
    }

    @Test
    void aMaxAgeOfZeroSwitchesTheNearCacheOffButEvictionsStillTravel() {
        NearScoreCache near = replica(new NearCacheSettings(10_000, Duration.ZERO));
        shared.entries.put(A, score(0.8, 0));

        near.get(A);
        near.get(A);
        near.evict(A);

        assertThat(shared.gets).hasValue(2);
        assertThat(near.size()).isZero();
        assertThat(bridge.published).containsExactly(new ScoreRemoved(A, T0));
    }

    @Test
    void badSettingsAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new NearCacheSettings(0, MAX_AGE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COHERENCE_SCORE_NEAR_CACHE_SIZE").hasMessageContaining("0");
        assertThatThrownBy(() -> new NearCacheSettings(10, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COHERENCE_SCORE_NEAR_CACHE_MAX_AGE");
        assertThatThrownBy(() -> new NearCacheSettings(10, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COHERENCE_SCORE_NEAR_CACHE_MAX_AGE");
    }

    /** Each replica's bus: its own dispatcher first, then every other replica's. */
    private static final class Bridge {

        final List<EventDispatcher> nodes = new CopyOnWriteArrayList<>();
        final List<CoherenceEvent> published = new CopyOnWriteArrayList<>();

        EventBus busOf(EventDispatcher own) {
            return events -> {
                published.addAll(events);
                own.dispatch(events);
                nodes.stream().filter(d -> d != own).forEach(d -> d.dispatch(events));
            };
        }
    }

    /** The shared cache, with put's rule: never an older score over a newer one. */
    private static final class FakeShared implements SharedScoreCache {

        final Map<TenantId, CoherenceScore> entries = new ConcurrentHashMap<>();
        final List<TenantId> evictions = new CopyOnWriteArrayList<>();
        final AtomicInteger gets = new AtomicInteger();
        volatile Runnable duringGet;
        volatile boolean answerBeforeHook;
        RuntimeException evictFailure;

        @Override
        public Optional<CoherenceScore> get(TenantId tenant) {
            gets.incrementAndGet();
            Optional<CoherenceScore> answer = Optional.ofNullable(entries.get(tenant));
            Runnable hook = duringGet;
            if (hook != null) {
                hook.run();
                if (!answerBeforeHook) {
                    answer = Optional.ofNullable(entries.get(tenant));
                }
            }
            return answer;
        }

        @Override
        public void put(CoherenceScore score) {
            entries.merge(score.tenant(), score, (held, s) -> held.updatedAt().isAfter(s.updatedAt()) ? held : s);
        }

        @Override
        public void evict(TenantId tenant) {
            if (evictFailure != null) {
                throw evictFailure;
            }
            evictions.add(tenant);
            entries.remove(tenant);
        }
    }
}
