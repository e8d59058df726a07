package io.coherence.application.query;

import java.time.Duration;

/**
 * The near score cache of one replica: at most {@code maxTenants} scores, each served for at most
 * {@code maxAge} after it was read from the shared cache or PostgreSQL (or announced by the
 * materializer); {@code maxAge} zero switches the near cache off.
 */
public record NearCacheSettings(int maxTenants, Duration maxAge) {

    public NearCacheSettings {
        if (maxTenants < 1) {
            throw new IllegalArgumentException("COHERENCE_SCORE_NEAR_CACHE_SIZE must be at least 1, was " + maxTenants);
        }
        if (maxAge == null || maxAge.isNegative()) {
            throw new IllegalArgumentException("COHERENCE_SCORE_NEAR_CACHE_MAX_AGE must be zero (off) or positive, was "
                    + maxAge);
        }
    }

    public boolean enabled() {
        return !maxAge.isZero();
    }
}
