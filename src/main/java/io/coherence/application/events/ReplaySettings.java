package io.coherence.application.events;

import java.time.Duration;

/**
 * How far back a subscriber may resume ({@code coherenceEvents(tenantId, after)}): at most
 * {@code maxEvents} events behind the tenant's head, and the first event it missed at most
 * {@code maxAge} old. {@code pageSize}: events read from the store per round trip, while a
 * subscriber catches up or the bridge repairs a gap.
 */
public record ReplaySettings(long maxEvents, Duration maxAge, int pageSize) {

    public ReplaySettings {
        if (maxEvents < 0 || maxAge.isNegative() || pageSize < 1) {
            throw new IllegalArgumentException("replay window must not be negative and the page size at least 1: "
                    + maxEvents + ", " + maxAge + ", " + pageSize);
        }
    }
}
