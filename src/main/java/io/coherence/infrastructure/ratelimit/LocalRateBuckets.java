package io.coherence.infrastructure.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateBuckets;
import io.coherence.application.limits.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.time.Duration;

/**
 * Buckets in this process (Bucket4j): the limits of a single replica, and the fallback while Redis
 * is unreachable. Idle buckets are dropped after ten minutes (a dropped bucket comes back full,
 * which a bucket idle that long would be anyway).
 */
@ApplicationScoped
@Typed(LocalRateBuckets.class)
public class LocalRateBuckets implements RateBuckets {

    private static final int MAX_BUCKETS = 100_000;

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(MAX_BUCKETS).expireAfterAccess(Duration.ofMinutes(10)).build();

    @Override
    public Admission take(String key, RateLimit limit, long tokens) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder().addLimit(bandwidth(limit)).build());
        return admission(bucket.tryConsumeAndReturnRemaining(tokens));
    }

    public static Bandwidth bandwidth(RateLimit limit) {
        return Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.perSecond(), Duration.ofSeconds(1)).build();
    }

    public static Admission admission(ConsumptionProbe probe) {
        return probe.isConsumed() ? Admission.ADMITTED
                : Admission.refused(Duration.ofNanos(probe.getNanosToWaitForRefill()), null);
    }
}
