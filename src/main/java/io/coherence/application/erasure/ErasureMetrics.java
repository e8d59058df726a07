package io.coherence.application.erasure;

import io.coherence.domain.erasure.ErasureStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code erasure_requests_total{status}}: requests entering each status on this replica (every
 * status's series registered at start), and
 * {@code erasure_oldest_pending_age_seconds}: the age of the oldest queued or running request
 * (0 when none), what the 24 h alert watches. The oldest request is read by the worker's tick
 * every second; while the queue cannot be read the last one seen stays, so the age keeps growing.
 */
@ApplicationScoped
public class ErasureMetrics {

    private final MetricRegistry registry;
    private final Clock clock;
    private volatile Optional<Instant> oldestPending = Optional.empty();

    /** For the CDI client proxy only. */
    protected ErasureMetrics() {
        this(null, null);
    }

    @Inject
    public ErasureMetrics(MetricRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void register(@Observes Startup startup) {
        registry.gauge("erasure_oldest_pending_age_seconds", this, ErasureMetrics::oldestPendingAgeSeconds);
        // Every status's series from the start, at 0: an alert on increase(…{status="failed"}) then
        // sees the first failure of a replica, which a series born with it would hide.
        for (ErasureStatus status : ErasureStatus.values()) {
            registry.counter("erasure_requests", new Tag("status", status.name().toLowerCase()));
        }
    }

    void entered(ErasureStatus status) {
        if (registry != null) {
            registry.counter("erasure_requests", new Tag("status", status.name().toLowerCase())).inc();
        }
    }

    void oldestPending(Optional<Instant> oldest) {
        this.oldestPending = oldest;
    }

    public double oldestPendingAgeSeconds() {
        return oldestPending.map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0)).orElse(0.0);
    }
}
