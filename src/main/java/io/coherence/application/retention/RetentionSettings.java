package io.coherence.application.retention;

import java.time.Duration;

/**
 * Retention knobs: signals deleted per transaction ({@code batchSize}), batches per tenant and run
 * at most ({@code maxBatchesPerTenant}, so one tenant's backlog cannot hold a run for hours: the
 * rest goes in the next run), how often the scheduled run is due ({@code interval}), and how long
 * after a failed run the next attempt waits ({@code retryAfter}).
 */
public record RetentionSettings(int batchSize, int maxBatchesPerTenant, Duration interval, Duration retryAfter) {

    public RetentionSettings {
        if (batchSize < 1 || maxBatchesPerTenant < 1) {
            throw new IllegalArgumentException("retention batch size and batches per tenant must be at least 1");
        }
        if (interval.isNegative() || interval.isZero() || retryAfter.isNegative()) {
            throw new IllegalArgumentException("the retention interval must be positive and the retry pause not negative");
        }
    }
}
