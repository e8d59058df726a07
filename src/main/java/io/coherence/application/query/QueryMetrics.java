package io.coherence.application.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code score_reads_degraded_total{outcome}}: reads that could not use the materialized scores;
 * {@code computed} when the score came from the signal graph instead, {@code unavailable} when
 * that failed too and the caller got STORE_UNAVAILABLE.
 */
@ApplicationScoped
public class QueryMetrics {

    /** No metrics (tests). */
    public static final QueryMetrics NONE = new QueryMetrics(null);

    private final MetricRegistry registry;

    /** For the CDI client proxy only. */
    protected QueryMetrics() {
        this(null);
    }

    @Inject
    public QueryMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Both series exist from the start, at 0, so alerts and dashboards see them before any outage. */
    void register(@Observes Startup startup) {
        registry.counter("score_reads_degraded", new Tag("outcome", "computed"));
        registry.counter("score_reads_degraded", new Tag("outcome", "unavailable"));
    }

    void degraded(boolean computed) {
        if (registry != null) {
            registry.counter("score_reads_degraded", new Tag("outcome", computed ? "computed" : "unavailable")).inc();
        }
    }
}
