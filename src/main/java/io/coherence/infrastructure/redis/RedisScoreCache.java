package io.coherence.infrastructure.redis;

import io.coherence.application.StoreProbe;
import io.coherence.application.query.SharedScoreCache;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * The shared score cache: scores per tenant in Redis through JCache (Redisson's provider), behind
 * each replica's near cache. The materializer writes
 * through it, reads fill it; only a newer score replaces a cached one (compare-and-set on the entry,
 * by {@code updatedAt}); entries also expire after {@code COHERENCE_CACHE_TTL}. An empty {@code REDIS_URL}
 * disables it. Any Redis failure falls back to "not cached", and a circuit breaker stops asking a
 * Redis that keeps failing.
 */
@ApplicationScoped
public class RedisScoreCache implements SharedScoreCache, StoreProbe {

    private static final Logger LOG = Logger.getLogger(RedisScoreCache.class.getName());
    private static final String CACHE = "coherence-scores";
    private static final String PROVIDER = "org.redisson.jcache.JCachingProvider";
    private static final int CAS_ATTEMPTS = 5;

    @Inject
    @ConfigProperty(name = "REDIS_URL", defaultValue = "")
    String redisUrl;

    @Inject
    @ConfigProperty(name = "COHERENCE_CACHE_TTL")
    Duration ttl;

    @Inject
    MetricRegistry metrics;

    private volatile Cache<String, String> cache;
    private CacheManager manager;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000)
    @Fallback(fallbackMethod = "miss")
    @WithSpan(value = "redis get score", kind = SpanKind.CLIENT)
    public Optional<CoherenceScore> get(TenantId tenant) {
        Cache<String, String> c = cache();
        if (c == null) {
            return Optional.empty();
        }
        Optional<CoherenceScore> found = Optional.ofNullable(c.get(tenant.value())).map(v -> decode(tenant, v));
        counted(found.isPresent() ? "hit" : "miss");
        return found;
    }

    /** {@code score_cache_requests_total{result}}: hit, miss, or unavailable (Redis failed or the breaker is open). */
    private void counted(String result) {
        if (metrics == null) {
            return;
        }
        metrics.counter("score_cache_requests", new Tag("result", result)).inc();
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 5000)
    @Fallback(fallbackMethod = "skip")
    @WithSpan(value = "redis put score", kind = SpanKind.CLIENT)
    public void put(CoherenceScore score) {
        Cache<String, String> c = cache();
        if (c == null) {
            return;
        }
        String key = score.tenant().value();
        String value = encode(score);
        // putIfAbsent and replace(old, new) are atomic in Redis (Redisson runs them as scripts): a
        // writer that lost a race sees the entry changed, re-reads it, and stops at a newer one.
        for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
            String current = c.get(key);
            if (current == null ? c.putIfAbsent(key, value) : !newer(score, current) || c.replace(key, current, value)) {
                return;
            }
        }
        LOG.fine(() -> "score cache write for tenant_id=" + score.tenant() + " kept losing races; left to the newer writers");
    }

    /** No fallback: an erasure must learn that Redis failed, and retries. */
    @Override
    @WithSpan(value = "redis evict score", kind = SpanKind.CLIENT)
    public void evict(TenantId tenant) {
        Cache<String, String> c = cache();
        if (c != null) {
            c.remove(tenant.value());
        }
    }

    private static boolean newer(CoherenceScore score, String cached) {
        try {
            return score.updatedAt().isAfter(decode(score.tenant(), cached).updatedAt());
        } catch (RuntimeException unreadable) {
            return true;
        }
    }

    @Override
    public String name() {
        return "redis";
    }

    /** Reads fall back to PostgreSQL without the cache, so a Redis outage is not an outage. */
    @Override
    public boolean requiredForReadiness() {
        return false;
    }

    @Override
    public String state() {
        if (redisUrl.isBlank()) {
            return "DISABLED";
        }
        try {
            Cache<String, String> c = cache();
            c.containsKey("readiness-probe");
            return "UP";
        } catch (RuntimeException e) {
            return "DOWN";
        }
    }

    Optional<CoherenceScore> miss(TenantId tenant) {
        counted("unavailable");
        return Optional.empty();
    }

    void skip(CoherenceScore score) {
        LOG.fine(() -> "score cache write skipped for tenant_id=" + score.tenant());
    }

    private Cache<String, String> cache() {
        if (redisUrl.isBlank()) {
            return null;
        }
        Cache<String, String> c = cache;
        return c != null ? c : open();
    }

    private synchronized Cache<String, String> open() {
        if (cache == null) {
            Config config = new Config();
            config.setCodec(StringCodec.INSTANCE);
            config.useSingleServer().setAddress(redisUrl).setTimeout(1000).setConnectTimeout(2000)
                    .setRetryAttempts(0).setConnectionMinimumIdleSize(2).setConnectionPoolSize(32);
            MutableConfiguration<String, String> entries = new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(
                            new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, ttl.toMillis())));
            manager = Caching.getCachingProvider(PROVIDER, getClass().getClassLoader()).getCacheManager();
            Cache<String, String> existing = manager.getCache(CACHE, String.class, String.class);
            cache = existing != null ? existing
                    : manager.createCache(CACHE, RedissonConfiguration.fromConfig(config, entries));
        }
        return cache;
    }

    @PreDestroy
    synchronized void close() {
        if (manager != null) {
            try {
                manager.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing the cache manager failed", e);
            }
        }
    }

    /** Entries are "score|status|updatedAt": small, readable with redis-cli, no Java serialization. */
    static String encode(CoherenceScore score) {
        return score.score() + "|" + score.status().name() + "|" + score.updatedAt();
    }

    static CoherenceScore decode(TenantId tenant, String value) {
        String[] parts = value.split("\\|", 3);
        return new CoherenceScore(tenant, Double.parseDouble(parts[0]), ScoreStatus.valueOf(parts[1]),
                Instant.parse(parts[2]));
    }
}
