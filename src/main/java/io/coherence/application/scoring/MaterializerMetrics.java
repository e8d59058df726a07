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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The materializer's metrics: {@code materializer_run_duration_seconds} (a histogram of runs) and
 * {@code materializer_lag_seconds}, how long the oldest tenant still waiting for its score has
 * been seen waiting. A tenant counts from the first run that found it pending (so the figure has
 * the materializer interval's resolution, and only the tenants one run fetches are seen); the
 * gauge keeps growing while runs stop, which is what an alert wants. Only the replica that runs
 * the materializer reports a lag: take the maximum over replicas.
 */
@ApplicationScoped
public class MaterializerMetrics {

    /** No metrics (tests). */
    public static final MaterializerMetrics NONE = new MaterializerMetrics(null, Clock.systemUTC());

    private final MetricRegistry registry;
    private final Clock clock;
    private final Map<TenantId, Instant> pendingSince = new ConcurrentHashMap<>();

    /** For the CDI client proxy only. */
    protected MaterializerMetrics() {
        this(null, null);
    }

    @Inject
    public MaterializerMetrics(MetricRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void register(@Observes Startup startup) {
        registry.gauge("materializer_lag_seconds", this, MaterializerMetrics::lagSeconds);
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

    /** Seconds since the oldest tenant still pending was first seen pending; 0 with none. */
    public double lagSeconds() {
        Instant now = clock.instant();
        return pendingSince.values().stream().min(Instant::compareTo)
                .map(since -> Duration.between(since, now).toMillis() / 1000.0).orElse(0.0);
    }
}
