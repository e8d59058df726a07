package io.coherence.application.retention;

import io.coherence.domain.retention.RetentionTier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Retention's metrics: {@code retention_signals_deleted_total{tier,trigger}} (trigger
 * {@code schedule} or {@code request}), {@code retention_runs_total{outcome}} for scheduled runs
 * ({@code completed}, {@code failed}), {@code retention_last_run_timestamp_seconds}, the start of
 * the last completed scheduled run as this replica last read it from the shared record (0 before it
 * read one; take the maximum over replicas), and {@code retention_interval_seconds}, the configured
 * interval, so an alert can say "not run for two intervals" without repeating it.
 */
@ApplicationScoped
public class RetentionMetrics {

    static final String DELETED = "retention_signals_deleted";
    static final String RUNS = "retention_runs";

    private final MetricRegistry registry;
    private final RetentionSettings settings;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>();

    /** For the CDI client proxy only. */
    protected RetentionMetrics() {
        this(null, null);
    }

    @Inject
    public RetentionMetrics(MetricRegistry registry, RetentionSettings settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /** The gauges and run counters exist from the start, so that the alert and rates see 0, not nothing. */
    void register(@Observes Startup startup) {
        registry.gauge("retention_last_run_timestamp_seconds", this, RetentionMetrics::lastRunSeconds);
        registry.gauge("retention_interval_seconds", this, m -> m.settings.interval().toSeconds());
        registry.counter(RUNS, new Tag("outcome", "completed"));
        registry.counter(RUNS, new Tag("outcome", "failed"));
    }

    void deleted(RetentionTier tier, String trigger, int count) {
        if (registry != null && count > 0) {
            registry.counter(DELETED, new Tag("tier", tier.policyName()), new Tag("trigger", trigger)).inc(count);
        }
    }

    void ran(String outcome) {
        if (registry != null) {
            registry.counter(RUNS, new Tag("outcome", outcome)).inc();
        }
    }

    void lastRun(Instant startedAt) {
        if (startedAt != null) {
            lastRun.accumulateAndGet(startedAt, (a, b) -> a == null || b.isAfter(a) ? b : a);
        }
    }

    /** Seconds since the epoch of the last completed run's start; 0 when none is known. */
    public double lastRunSeconds() {
        Instant last = lastRun.get();
        return last == null ? 0 : last.toEpochMilli() / 1000.0;
    }
}
