package io.coherence.infrastructure.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.events.Dispatchers;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSettings;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.query.NearCacheSettings;
import io.coherence.application.query.NearScoreCache;
import io.coherence.application.query.QueryMetrics;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.UncountedFanout;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas ("A" and "B"), each with its own near score cache, dispatcher and event bus, over
 * one embedded Redis: the shared score cache and the bridge's topic. The near caches keep their
 * entries for ten minutes here, so B can only see A's news through the bridge's events.
 */
class NearScoreCacheIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration LONG_AGE = Duration.ofMinutes(10);

    private final String channel = "it-near-" + UUID.randomUUID();
    private final TenantId tenant = TenantId.of("it-near-" + UUID.randomUUID());
    private final Instant t0 = Instant.now();
    private final List<EventDispatcher> dispatchers = new ArrayList<>();
    private final List<RedisEventBus> buses = new ArrayList<>();
    private final List<NearScoreCache> nears = new ArrayList<>();
    private RedisScoreCache shared;

    @AfterEach
    void stop() {
        nears.forEach(NearScoreCache::stop);
        buses.forEach(RedisEventBus::stop);
        dispatchers.forEach(Dispatchers::stop);
        if (shared != null) {
            shared.close();
        }
    }

    /** One replica: its near cache in front of the shared Redis cache, and its bus. */
    private record Replica(NearScoreCache cache, RedisEventBus bus) {

        /** What the materializer does after storing a score: write through, then publish. */
        void materialize(CoherenceScore score) {
            cache.put(score);
            bus.publish(List.of(new ScoreChanged(score, Instant.now())));
        }
    }

    /**
     * Redisson's JCache provider keeps one cache manager per class loader, so the replicas of this
     * JVM share one RedisScoreCache; it holds nothing itself, every call goes to Redis.
     */
    private RedisScoreCache shared(String redisUrl) {
        if (shared == null) {
            shared = new RedisScoreCache();
            shared.redisUrl = redisUrl;
            shared.ttl = Duration.ofMinutes(5);
        }
        return shared;
    }

    private Replica replica(String redisUrl, Duration maxAge) {
        EventDispatcher dispatcher = new EventDispatcher(
                new EventSettings(Duration.ofMillis(50), Duration.ZERO, 100_000, 100_000), UncountedFanout.INSTANCE);
        dispatchers.add(dispatcher);
        RedisEventBus bus = new RedisEventBus(redisUrl, channel, dispatcher);
        buses.add(bus);
        bus.start();
        NearScoreCache near = new NearScoreCache(shared(redisUrl), bus, dispatcher,
                new NearCacheSettings(10_000, maxAge), QueryMetrics.NONE, Clock.systemUTC());
        near.start();
        nears.add(near);
        return new Replica(near, bus);
    }

    private Replica[] twoBridgedReplicas(Duration maxAge) {
        String redisUrl = EmbeddedEngines.shared().redisUrl();
        Replica a = replica(redisUrl, maxAge);
        Replica b = replica(redisUrl, maxAge);
        Eventually.await("both replicas joined the topic", WAIT, () -> a.bus().bridged() && b.bus().bridged());
        return new Replica[] {a, b};
    }

    private CoherenceScore score(double value, long secondsAfter) {
        return new CoherenceScore(tenant, value, ScoreStatus.of(value), t0.plusSeconds(secondsAfter));
    }

    @Test
    void aScoreMaterializedOnReplicaAIsReadOnReplicaBDespiteBsNearCopy() {
        Replica[] replicas = twoBridgedReplicas(LONG_AGE);
        Replica a = replicas[0];
        Replica b = replicas[1];
        a.materialize(score(0.8, 0));
        assertThat(b.cache().get(tenant)).as("B's first read, from Redis; now in B's near cache").contains(score(0.8, 0));

        a.materialize(score(0.3, 1));

        Eventually.await("replica B reads the newer score", WAIT,
                () -> b.cache().get(tenant).equals(Optional.of(score(0.3, 1))));
        assertThat(a.cache().get(tenant)).contains(score(0.3, 1));
        assertThat(shared.get(tenant)).contains(score(0.3, 1));
    }

    @Test
    void anEvictionOnReplicaAReachesReplicaBsNearCache() {
        Replica[] replicas = twoBridgedReplicas(LONG_AGE);
        Replica a = replicas[0];
        Replica b = replicas[1];
        a.materialize(score(0.8, 0));
        assertThat(b.cache().get(tenant)).contains(score(0.8, 0));
        assertThat(a.cache().get(tenant)).contains(score(0.8, 0));

        a.cache().evict(tenant);

        assertThat(shared.get(tenant)).as("gone from Redis").isEmpty();
        assertThat(a.cache().get(tenant)).isEmpty();
        Eventually.await("replica B no longer has the score", WAIT, () -> b.cache().get(tenant).isEmpty());
    }

    /** The bridge is best effort: a lost event leaves a near copy at most its maximum age. */
    @Test
    void withoutTheEventANearCopyIsReplacedOnceItIsAsOldAsItsMaximumAge() {
        Replica[] replicas = twoBridgedReplicas(Duration.ofMillis(200));
        Replica b = replicas[1];
        shared.put(score(0.8, 0));
        assertThat(b.cache().get(tenant)).contains(score(0.8, 0));

        shared.put(score(0.3, 1));

        Eventually.await("replica B reads the newer score from Redis", WAIT,
                () -> b.cache().get(tenant).equals(Optional.of(score(0.3, 1))));
    }
}
