package io.coherence.application.scoring;

import io.coherence.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tenants whose scoring failed, and when each may be tried again: the pause starts at two
 * materializer intervals and doubles with every further failure up to a maximum, so a tenant that
 * keeps failing (a poisoned window, a store that times out on it) costs one attempt per pause
 * instead of a place and a timeout in every run. The pause grows only if other tenants were scored
 * since the tenant last failed: in a store outage, which fails everyone, it stays at two intervals,
 * so scores resume right after the outage. A success forgets the tenant; so does a pause that
 * ended long ago without a new attempt (the tenant is no longer selected: another replica scored it).
 */
public final class TenantBackoff {

    /** A tenant's run of failures: how many, since when, when it is tried again, and the last reason. */
    public record Failure(TenantId tenant, int failures, Instant since, Instant retryAt, String reason) {
    }

    /** A failure and how many successes there had been when it happened. */
    private record Entry(Failure failure, long successesBefore) {
    }

    private final Map<TenantId, Entry> failures = new ConcurrentHashMap<>();
    private final AtomicLong successes = new AtomicLong();
    private final Duration base;
    private final Duration max;

    TenantBackoff(Duration interval, Duration max) {
        this.base = interval;
        this.max = max;
    }

    /** Whether the tenant may be tried at {@code now}. */
    boolean due(TenantId tenant, Instant now) {
        Entry e = failures.get(tenant);
        return e == null || !now.isBefore(e.failure().retryAt());
    }

    /** How many tenants are waiting out a pause at {@code now}. */
    int waiting(Instant now) {
        return (int) failures.values().stream().filter(e -> now.isBefore(e.failure().retryAt())).count();
    }

    Failure failed(TenantId tenant, Instant now, RuntimeException cause) {
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        long scored = successes.get();
        return failures.compute(tenant, (t, e) -> {
            int n = e == null ? 1 : e.successesBefore() < scored ? e.failure().failures() + 1 : e.failure().failures();
            Instant since = e == null ? now : e.failure().since();
            return new Entry(new Failure(t, n, since, now.plus(pause(n)), reason), scored);
        }).failure();
    }

    void succeeded(TenantId tenant) {
        successes.incrementAndGet();
        failures.remove(tenant);
    }

    void expire(Instant now) {
        failures.values().removeIf(e -> e.failure().retryAt().plus(max).isBefore(now));
    }

    /** The tenants failing now, the longest failing first. */
    List<Failure> failing() {
        return failures.values().stream().map(Entry::failure).sorted(Comparator.comparing(Failure::since)
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
