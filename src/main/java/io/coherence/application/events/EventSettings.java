package io.coherence.application.events;

import java.time.Duration;

/**
 * Fan-out settings. {@code reorderWindow}: how long a signal event waits for a missing
 * predecessor (another replica's or writer's commit) before it is sent anyway.
 * {@code coalesceWindow}: zero sends each event at once; above zero, a tenant's events are sent
 * in batches at most that often. {@code tenantEventsPerSecond} and {@code tenantEventsBurst}: the
 * token bucket of events a tenant may fan out on one replica.
 */
public record EventSettings(Duration reorderWindow, Duration coalesceWindow, long tenantEventsPerSecond,
                            long tenantEventsBurst) {
}
