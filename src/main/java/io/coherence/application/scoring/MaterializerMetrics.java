package io.coherence.application.scoring;

import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The materializer's metrics: {@code materializer_run_duration_seconds} (a histogram of runs) and
 * {@code materializer_lag_seconds}, how long the oldest tenant still waiting for its score has
 * been seen waiting, or, while the materializer cannot run at all, how long since it last could.
 * A tenant counts from the first run that found it pending (so the figure has
 * the materializer interval's resolution, and only the tenants one run fetches are seen); the
 * gauge keeps growing while runs stop, which is what an alert wants. Only the replica that runs
 * the materializer reports a lag: take the maximum over replicas. A tenant whose scoring keeps
 * failing waits out a backoff instead (see {@link TenantBackoff}); it leaves the lag and is counted
 * in {@code materializer_failing_tenants} and {@code materializer_tenant_failures_total}, and named
 * in readiness, so one poisoned tenant neither hides nor drowns the others' lag.
 * <p>{@code materializer_attempts_total{outcome}} counts what each due tick did on this replica:
 * {@code ran} (it held the lock), {@code lock_held} (another replica was materializing), or
 * {@code blocked} (the lock could not be asked for, or the run failed). Compared across replicas it
 * shows which one materializes and that the others were turned away rather than ran as well.
 */
@ApplicationScoped
public class MaterializerMetrics {

    static final String ATTEMPTS = "materializer_attempts";

    /** What one due tick of the materializer did on this replica. */
    public enum Attempt {
        RAN("ran"), LOCK_HELD("lock_held"), BLOCKED("blocked");

        private final String label;

        Attempt(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final MetricRegistry registry;
    private final Clock clock;
    private final Map<TenantId, Instant> pendingSince = new ConcurrentHashMap<>();
    private final AtomicReference<Instant> blockedSince = new AtomicReference<>();
    private volatile String blockedReason;
    private volatile List<TenantBackoff.Failure> failing = List.of();
    private final Map<Attempt, LongAdder> attempts = new EnumMap<>(Attempt.class);

    /** For the CDI client proxy only. */
    protected MaterializerMetrics() {
        this(null, null);
    }

    @Inject
    public MaterializerMetrics(MetricRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (Attempt a : Attempt.values()) {
            attempts.put(a, new LongAdder());
        }
    }

    void register(@Observes Startup startup) {
        registry.gauge("materializer_lag_seconds", this, MaterializerMetrics::lagSeconds);
        registry.gauge("materializer_failing_tenants", this, m -> m.failing.size());
        registry.counter("materializer_tenant_failures");
        for (Attempt a : Attempt.values()) {
            registry.counter(ATTEMPTS, new Tag("outcome", a.label()));
        }
    }

    /** A due tick ran the materializer, found another replica running it, or could not run it. */
    void attempted(Attempt attempt) {
        attempts.get(attempt).increment();
        if (registry != null) {
            registry.counter(ATTEMPTS, new Tag("outcome", attempt.label())).inc();
        }
    }

    /** How many due ticks had this outcome on this replica since it started. */
    public long attempts(Attempt attempt) {
        return attempts.get(attempt).sum();
    }

    /** After a run: what it found pending, which tenants it scored, and how long it took. */
    void ran(Collection<TenantId> pending, Set<TenantId> scored, Instant at, Duration took) {
        // A tenant no longer pending was scored here or by another replica.
        pendingSince.keySet().retainAll(Set.copyOf(pending));
        for (TenantId tenant : pending) {
            if (!scored.contains(tenant)) {
                pendingSince.putIfAbsent(tenant, at);
            }
        }
        scored.forEach(pendingSince::remove);
        if (registry != null) {
            registry.timer("materializer_run_duration").update(took);
        }
    }

    /** One attempt to score a tenant failed. */
    void tenantFailed() {
        if (registry != null) {
            registry.counter("materializer_tenant_failures").inc();
        }
    }

    /** After a run: the tenants whose scoring is failing, the longest failing first. */
    void failing(List<TenantBackoff.Failure> tenants) {
        failing = List.copyOf(tenants);
    }

    /**
     * A tick could not run the materializer at all (its lock's store failed); true for the first
     * such tick of an outage.
     */
    boolean blocked(Instant at, RuntimeException cause) {
        blockedReason = String.valueOf(cause.getMessage());
        return blockedSince.compareAndSet(null, at);
    }

    /** The materializer ran (or another replica holds the lock); how long it had been blocked, or null. */
    Duration unblocked(Instant at) {
        Instant since = blockedSince.getAndSet(null);
        return since == null ? null : Duration.between(since, at);
    }

    /**
     * Seconds since the oldest tenant still pending was first seen pending, or, while the
     * materializer cannot run at all, since it last could (whichever is longer); 0 with neither.
     */
    public double lagSeconds() {
        Instant now = clock.instant();
        Instant oldest = pendingSince.values().stream().min(Instant::compareTo).orElse(null);
        Instant blocked = blockedSince.get();
        if (blocked != null && (oldest == null || blocked.isBefore(oldest))) {
            oldest = blocked;
        }
        return oldest == null ? 0.0 : Duration.between(oldest, now).toMillis() / 1000.0;
    }

    /**
     * For readiness: {@code running}, or {@code blocked} with the time and reason; and the tenants
     * whose scoring is failing, the longest failing first.
     */
    public Status status() {
        Instant since = blockedSince.get();
        return since == null ? new Status("running", lagSeconds(), null, null, failing)
                : new Status("blocked", lagSeconds(), since, blockedReason, failing);
    }

    /** The materializer as readiness reports it. */
    public record Status(String state, double lagSeconds, Instant blockedSince, String reason,
                         List<TenantBackoff.Failure> failingTenants) {
    }
}
