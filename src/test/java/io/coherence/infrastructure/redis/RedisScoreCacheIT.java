package io.coherence.infrastructure.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The JCache (Redisson) score cache against the embedded Redis. */
class RedisScoreCacheIT {

    private RedisScoreCache cache;

    private RedisScoreCache cache(String url, Duration ttl) {
        cache = new RedisScoreCache();
        cache.redisUrl = url;
        cache.ttl = ttl;
        return cache;
    }

    @AfterEach
    void close() {
        if (cache != null) {
            cache.close();
        }
    }

    @Test
    void aScorePutIsReadBackForItsTenantOnly() {
        RedisScoreCache redis = cache(EmbeddedEngines.shared().redisUrl(), Duration.ofMinutes(5));
        TenantId tenant = TenantId.of("it-cache-" + UUID.randomUUID());
        CoherenceScore score = new CoherenceScore(tenant, 0.77, ScoreStatus.HEALTHY, Instant.parse("2026-11-22T01:02:03.456Z"));

        redis.put(score);

        assertThat(redis.get(tenant)).contains(score);
        assertThat(redis.get(TenantId.of("it-cache-other-" + UUID.randomUUID()))).isEmpty();
        assertThat(redis.state()).isEqualTo("UP");
    }

    /** A read filling the cache with what it read before the materializer stored a newer score. */
    @Test
    void aFillWithAnOlderScoreNeverReplacesANewerCachedOne() {
        RedisScoreCache redis = cache(EmbeddedEngines.shared().redisUrl(), Duration.ofMinutes(5));
        TenantId tenant = TenantId.of("it-cache-" + UUID.randomUUID());
        Instant t = Instant.parse("2026-11-22T01:02:03.456Z");
        CoherenceScore newer = new CoherenceScore(tenant, 0.9, ScoreStatus.HEALTHY, t.plusSeconds(5));
        redis.put(newer);

        redis.put(new CoherenceScore(tenant, 0.1, ScoreStatus.CRITICAL, t));
        redis.put(new CoherenceScore(tenant, 0.2, ScoreStatus.CRITICAL, t.plusSeconds(5)));

        assertThat(redis.get(tenant)).contains(newer);
        CoherenceScore newest = new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, t.plusSeconds(10));
        redis.put(newest);
        assertThat(redis.get(tenant)).contains(newest);
    }

    /** Writers racing on one entry, each with another score: the newest is what stays. */
    @Test
    void racingWritersLeaveTheNewestScore() throws Exception {
        RedisScoreCache redis = cache(EmbeddedEngines.shared().redisUrl(), Duration.ofMinutes(5));
        Instant t = Instant.parse("2026-11-22T01:02:03.456Z");
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 20; round++) {
                TenantId tenant = TenantId.of("it-cache-race-" + UUID.randomUUID());
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<?>> puts = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    CoherenceScore score = new CoherenceScore(tenant, w / 10.0, ScoreStatus.CRITICAL, t.plusSeconds(w));
                    puts.add(pool.submit(() -> {
                        start.await();
                        redis.put(score);
                        return null;
                    }));
                }
                for (Future<?> put : puts) {
                    put.get(30, TimeUnit.SECONDS);
                }
                assertThat(redis.get(tenant)).as("round %d", round)
                        .contains(new CoherenceScore(tenant, (writers - 1) / 10.0, ScoreStatus.CRITICAL, t.plusSeconds(writers - 1)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void entriesExpireAfterTheTtl() throws InterruptedException {
        RedisScoreCache redis = cache(EmbeddedEngines.shared().redisUrl(), Duration.ofMillis(300));
        TenantId tenant = TenantId.of("it-cache-" + UUID.randomUUID());
        redis.put(new CoherenceScore(tenant, 0.4, ScoreStatus.CRITICAL, Instant.now()));
        assertThat(redis.get(tenant)).isPresent();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (redis.get(tenant).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(redis.get(tenant)).isEmpty();
    }

    @Test
    void withoutARedisUrlTheCacheIsDisabledAndNeverAnswers() {
        RedisScoreCache disabled = cache("", Duration.ofMinutes(5));
        TenantId tenant = TenantId.of("it-cache-" + UUID.randomUUID());

        disabled.put(new CoherenceScore(tenant, 0.9, ScoreStatus.HEALTHY, Instant.now()));

        assertThat(disabled.get(tenant)).isEmpty();
        assertThat(disabled.state()).isEqualTo("DISABLED");
    }

    @Test
    void anUnreachableRedisIsReportedDown() {
        RedisScoreCache unreachable = cache("redis://127.0.0.1:" + EmbeddedEngines.freePort(), Duration.ofMinutes(5));

        assertThat(unreachable.state()).isEqualTo("DOWN");
    }
}
