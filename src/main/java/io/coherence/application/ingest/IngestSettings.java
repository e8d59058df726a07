package io.coherence.application.ingest;

import java.time.Duration;

/**
 * Ingest limits: batch and body size limits, and how far in the future a timestamp may be. How
 * far back is the tenant's retention tier (its data policy).
 */
public record IngestSettings(int maxBatch, long maxBodyBytes, Duration maxFutureSkew) {
}
