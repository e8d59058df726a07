package io.coherence.infrastructure.ratelimit;

import io.coherence.application.limits.RateBuckets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Rate-limit buckets in Redis when REDIS_URL is set (shared by replicas), in-process otherwise. */
@ApplicationScoped
public class RateBucketStores {

    @Inject
    @ConfigProperty(name = "REDIS_URL", defaultValue = "")
    String redisUrl;

    @Inject
    Instance<LocalRateBuckets> local;

    @Inject
    Instance<RedisRateBuckets> redis;

    @Produces
    @ApplicationScoped
    public RateBuckets buckets() {
        return redisUrl.isBlank() ? local.get() : redis.get();
    }
}
