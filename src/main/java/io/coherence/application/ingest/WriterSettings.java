package io.coherence.application.ingest;

import java.time.Duration;

/**
 * Group commit: up to {@code maxSignals} signals from concurrent requests share one transaction;
 * a writer waits at most {@code linger} for more to arrive; {@code writers} transactions may be in
 * flight at once; a request waits at most {@code timeout} for its commit; at most
 * {@code queueCapacity} requests wait for a writer.
 */
public record WriterSettings(int maxSignals, Duration linger, int writers, Duration timeout, int queueCapacity) {
}
