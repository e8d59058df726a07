package io.coherence.infrastructure.config;

import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The rate limits from MicroProfile Config, re-read at most once a second so an operator's change
 * (a configDropins variable, say) applies without a restart. A change that does not make sense is
 * logged and the limits in force stay; at startup it stops the application.
 */
@ApplicationScoped
public class ConfiguredRateLimits implements RateLimiter.RateLimitSource {

    private static final Logger LOG = Logger.getLogger(ConfiguredRateLimits.class.getName());
    private static final long REFRESH_NANOS = 1_000_000_000L;

    private volatile RateLimitSettings current;
    private volatile long readAt;

    void check(@Observes Startup startup) {
        current = read(ConfigProvider.getConfig());
        readAt = System.nanoTime();
        LOG.info(() -> "rate limits: " + current);
    }

    @Override
    public RateLimitSettings current() {
        RateLimitSettings settings = current;
        long now = System.nanoTime();
        if (settings == null || now - readAt > REFRESH_NANOS) {
            readAt = now;
            try {
                RateLimitSettings fresh = read(ConfigProvider.getConfig());
                if (settings != null && !fresh.equals(settings)) {
                    LOG.info(() -> "rate limits changed: " + fresh);
                }
                current = fresh;
                settings = fresh;
            } catch (RuntimeException e) {
                if (settings == null) {
                    throw e;
                }
                LOG.log(Level.SEVERE, "rate limit settings not applied, the previous ones stay: " + e.getMessage());
            }
        }
        return settings;
    }

    static RateLimitSettings read(Config config) {
        long global = nonNegative(config, "CONDUCTOR_RPS_MAX");
        long tenant = nonNegative(config, "COHERENCE_TENANT_RPS");
        long signals = nonNegative(config, "COHERENCE_INGEST_TENANT_SIGNALS_PER_SECOND");
        long signalBurst = nonNegative(config, "COHERENCE_INGEST_TENANT_SIGNALS_BURST");
        int maxBatch = config.getValue("COHERENCE_INGEST_MAX_BATCH", Integer.class);
        if (signals > 0 && signalBurst < maxBatch) {
            throw new IllegalArgumentException("COHERENCE_INGEST_TENANT_SIGNALS_BURST (" + signalBurst
                    + ") must be at least COHERENCE_INGEST_MAX_BATCH (" + maxBatch + "), or a full batch never passes");
        }
        return new RateLimitSettings(
                global == 0 ? RateLimit.OFF : new RateLimit(global, global),
                tenant == 0 ? RateLimit.OFF : new RateLimit(tenant, Math.max(1, nonNegative(config, "COHERENCE_TENANT_BURST"))),
                signals == 0 ? RateLimit.OFF : new RateLimit(signals, signalBurst));
    }

    private static long nonNegative(Config config, String key) {
        long value = config.getValue(key, Long.class);
        if (value < 0) {
            throw new IllegalArgumentException(key + " must be 0 (off) or more, not " + value);
        }
        return value;
    }
}
