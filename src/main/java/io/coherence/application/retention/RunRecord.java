package io.coherence.application.retention;

import java.time.Duration;
import java.time.Instant;

/**
 * The scheduled run's history as far as scheduling needs it: when the last completed run started
 * ({@code null} before the first), and when the last attempt started and whether it failed.
 */
public record RunRecord(Instant lastCompletedStart, Instant lastAttempt, boolean lastFailed) {

    /**
     * Due when no run completed within {@code interval}, unless the last attempt failed less than
     * {@code retryAfter} ago (a store outage does not make every tick try again).
     */
    public boolean due(Instant now, Duration interval, Duration retryAfter) {
        if (lastCompletedStart != null && now.isBefore(lastCompletedStart.plus(interval))) {
            return false;
        }
        return !(lastFailed && lastAttempt != null && now.isBefore(lastAttempt.plus(retryAfter)));
    }
}
