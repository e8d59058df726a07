package io.coherence.application.retention;

import java.time.Instant;
import java.util.Optional;

/** When the scheduled retention run last ran, shared by all replicas. */
public interface RetentionRuns {

    /** The last run's record; empty before the first. */
    Optional<RunRecord> last();

    void completed(Instant started, Instant finished, RetentionService.RunTotals totals);

    void failed(Instant started, Instant finished, String reason);
}
