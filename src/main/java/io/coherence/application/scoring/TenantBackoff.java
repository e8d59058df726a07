package io.coherence.application.scoring;

import io.coherence.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants whose scoring failed, and when each may be tried again: the pause starts at two
 * materializer intervals and doubles with every further failure up to a maximum, so a tenant that
 * keeps failing (a poisoned window, a store that times out on it) costs one attempt per pause
 * instead of a slot and a timeout in every run. A success forgets the tenant; so does a pause that
 * ended long ago without a new attempt (the tenant is no longer selected: another replica scored it).
 */
public final class TenantBackoff {

    /** A tenant's run of failures: how many, since when, when it is tried again, and the last reason. */
    public record Failure(TenantId tenant, int failures, Instant since, Instant retryAt, String reason) {
    }

    private final Map<TenantId, Failure> failures = new ConcurrentHashMap<>();
    private final Duration base;
    private final Duration max;

    TenantBackoff(Duration interval, Duration max) {
        this.base = interval;
        this.max = max;
    }

    /** Whether the tenant may be tried at {@code now}. */
    boolean due(TenantId tenant, Instant now) {
        Failure f = failures.get(tenant);
        return f == null || !now.isBefore(f.retryAt());
    }

    /** How many tenants are waiting out a pause at {@code now}. */
    int waiting(Instant now) {
        return (int) failures.values().stream().filter(f -> now.isBefore(f.retryAt())).count();
    }

    Failure failed(TenantId tenant, Instant now, RuntimeException cause) {
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        return failures.compute(tenant, (t, f) -> {
            int n = f == null ? 1 : f.failures() + 1;
            return new Failure(t, n, f == null ? now : f.since(), now.plus(pause(n)), reason);
        });
    }

    void succeeded(TenantId tenant) {
        failures.remove(tenant);
    }

    void expire(Instant now) {
        failures.values().removeIf(f -> f.retryAt().plus(max).isBefore(now));
    }

    /** The tenants failing now, the longest failing first. */
    List<Failure> failing() {
        return failures.values().stream().sorted(Comparator.comparing(Failure::since)
                .thenComparing(f -> f.tenant().value())).toList();
    }

    /** Two intervals after the first failure, doubling after each further one, at most {@code max}. */
    Duration pause(int failures) {
        Duration pause = base.multipliedBy(2);
        for (int i = 1; i < failures && pause.compareTo(max) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(max) < 0 ? pause : max;
    }
}
