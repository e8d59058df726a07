package io.coherence.infrastructure.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimit;
import io.coherence.testsupport.EmbeddedEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bucket4j's Redisson buckets against the real embedded Redis, as two replicas would use them. */
class RedisRateBucketsIT {

    private final RedisRateBuckets replicaA = replica();
    private final RedisRateBuckets replicaB = replica();

    private static RedisRateBuckets replica() {
        RedisRateBuckets buckets = new RedisRateBuckets();
        buckets.redisUrl = EmbeddedEngines.shared().redisUrl();
        buckets.local = new LocalRateBuckets();
        return buckets;
    }

    @AfterEach
    void close() {
        replicaA.close();
        replicaB.close();
    }

    @Test
    void twoReplicasDrawFromOneBucket() {
        String key = "it:" + UUID.randomUUID();
        RateLimit limit = new RateLimit(1, 10);
        int admitted = 0;
        for (int i = 0; i < 8; i++) {
            admitted += (replicaA.take(key, limit, 1).admitted() ? 1 : 0) + (replicaB.take(key, limit, 1).admitted() ? 1 : 0);
        }
        // 16 asked, 10 in the bucket, perhaps one refilled meanwhile.
        assertThat(admitted).isBetween(10, 11);
        Admission refused = replicaB.take(key, limit, 1);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    }

    /** Threads alternate between the two replicas, each taking one token {@code takes} times. */
    private int admittedConcurrently(String key, RateLimit limit, int threads, int takes) throws Exception {
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                RedisRateBuckets replica = t % 2 == 0 ? replicaA : replicaB;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < takes; i++) {
                        if (replica.take(key, limit, 1).admitted()) {
                            admitted.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return admitted.get();
    }

    @Test
    void concurrentTakesNeverAdmitMoreThanTheBucketHolds() throws Exception {
        String key = "it:" + UUID.randomUUID();
        RateLimit limit = new RateLimit(1, 100);
        int admitted = admittedConcurrently(key, limit, 8, 50);
        // 400 asked of a bucket of 100 (plus what refilled at 1/s while they ran).
        assertThat(admitted).isBetween(100, 105);
    }

    @Test
    void aLargeBucketSyncedLazilyOverAdmitsAtMostOnePercentPerReplica() throws Exception {
        String key = "it:" + UUID.randomUUID();
        RateLimit limit = new RateLimit(1, 1000);
        int admitted = admittedConcurrently(key, limit, 4, 500);
        // 2,000 asked of 1,000; each replica may run 10 tokens (1%) ahead of Redis, plus the refill.
        assertThat(admitted).isBetween(1000, 1000 + 2 * 10 + 10);
    }

    @Test
    void aBatchTakesAllItsTokensOrNone() {
        String key = "it:" + UUID.randomUUID();
        RateLimit limit = new RateLimit(100, 1000);
        assertThat(replicaA.take(key, limit, 600).admitted()).isTrue();
        Admission refused = replicaB.take(key, limit, 600);
        assertThat(refused.admitted()).isFalse();
        // 200 tokens short at 100/s: about 2 s.
        assertThat(refused.retryAfterSeconds()).isBetween(2L, 3L);
        assertThat(replicaB.take(key, limit, 400).admitted()).as("the refused batch took nothing").isTrue();
    }
}
