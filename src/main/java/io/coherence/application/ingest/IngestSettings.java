package io.coherence.application.ingest;

import io.coherence.domain.provenance.PolicyTags;
import java.time.Duration;

/**
 * Ingest limits and defaults: batch and body size limits, how far in the future a timestamp may
 * be, how far back (the retention window), and the policy tags attached to every signal.
 */
public record IngestSettings(int maxBatch, long maxBodyBytes, Duration maxFutureSkew, Duration retention,
                             PolicyTags defaultTags) {
}
