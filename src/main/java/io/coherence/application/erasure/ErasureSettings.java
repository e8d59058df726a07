package io.coherence.application.erasure;

import java.time.Duration;

/**
 * Erasure worker settings. {@code batch}: signals (and idempotency keys) per transaction.
 * {@code lease}: how long a claimed request is a worker's before another may take it over (each
 * batch renews it). {@code retry}: how long a failed attempt waits. {@code maxAttempts}: failed
 * attempts before a request is FAILED. {@code scoreWait}: how long the score step waits for the
 * materializer before it records the score as marked, not recomputed. {@code eventSettle}: added to
 * the event buffers' windows before the request may complete.
 */
public record ErasureSettings(int batch, Duration lease, Duration retry, int maxAttempts, Duration scoreWait,
                              Duration eventSettle) {

    public ErasureSettings {
        if (batch < 1 || maxAttempts < 1) {
            throw new IllegalArgumentException("batch and maxAttempts must be at least 1");
        }
    }
}
