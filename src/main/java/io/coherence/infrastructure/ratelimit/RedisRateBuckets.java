package io.coherence.infrastructure.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateBuckets;
import io.coherence.application.limits.RateLimit;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.redisson.Bucket4jRedisson;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Buckets in Redis (Bucket4j's Redisson compare-and-swap proxy), shared by every replica, so the
 * limits hold for the whole deployment (see {@link #optimization} for how often a replica talks
 * to Redis). While Redis fails, the circuit breaker opens and each replica falls back to its
 * own in-process buckets: limits per replica for a while rather than no service.
 */
@ApplicationScoped
@Typed(RedisRateBuckets.class)
public class RedisRateBuckets implements RateBuckets {

    static final String KEY_PREFIX = "coherence:rate:";
    static final long DELAYED_FROM = 200;
    static final long SYNC_MILLIS = 50;
    private static final Logger LOG = Logger.getLogger(RedisRateBuckets.class.getName());

    @Inject
    @ConfigProperty(name = "REDIS_URL", defaultValue = "")
    String redisUrl;

    @Inject
    LocalRateBuckets local;

    private final Cache<String, BucketProxy> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();
    private volatile ProxyManager<String> proxies;
    private RedissonClient client;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000)
    @Fallback(fallbackMethod = "inProcess")
    public Admission take(String key, RateLimit limit, long tokens) {
        BucketProxy bucket = buckets.get(key, k -> proxies().builder().withOptimization(optimization(limit))
                .build(KEY_PREFIX + k, () -> BucketConfiguration.builder()
                        .addLimit(LocalRateBuckets.bandwidth(limit)).build()));
        return LocalRateBuckets.admission(bucket.tryConsumeAndReturnRemaining(tokens));
    }

    /**
     * Large buckets (a burst of at least {@value #DELAYED_FROM}) are synchronised with Redis every
     * 1% of their burst or {@value #SYNC_MILLIS} ms, whichever comes first, instead of on every
     * take: each replica may admit up to 1% of the burst more than the shared bucket holds, and
     * the read path saves a Redis exchange per request. Smaller buckets are exact (concurrent takes
     * batched into one exchange).
     */
    static Optimization optimization(RateLimit limit) {
        return limit.burst() >= DELAYED_FROM
                ? Optimizations.delaying(new DelayParameters(limit.burst() / 100, Duration.ofMillis(SYNC_MILLIS)))
                : Optimizations.batching();
    }

    Admission inProcess(String key, RateLimit limit, long tokens) {
        return local.take(key, limit, tokens);
    }

    private ProxyManager<String> proxies() {
        ProxyManager<String> p = proxies;
        return p != null ? p : connect();
    }

    private synchronized ProxyManager<String> connect() {
        if (proxies == null) {
            Config config = new Config();
            config.useSingleServer().setAddress(redisUrl).setTimeout(500).setConnectTimeout(1000)
                    .setRetryAttempts(0).setConnectionMinimumIdleSize(2).setConnectionPoolSize(16);
            RedissonClient c = Redisson.create(config);
            client = c;
            proxies = Bucket4jRedisson.casBasedBuilder(((Redisson) c).getCommandExecutor())
                    .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                            Duration.ofSeconds(10)))
                    .build();
            LOG.info("rate limits shared through Redis");
        }
        return proxies;
    }

    @PreDestroy
    synchronized void close() {
        if (client != null) {
            try {
                client.shutdown();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the rate-limit Redis client failed", e);
            }
        }
    }
}
