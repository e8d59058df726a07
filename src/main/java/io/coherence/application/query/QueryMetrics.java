package io.coherence.application.query;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code score_reads_degraded_total{outcome}}: reads that could not use the materialized scores;
 * {@code computed} when the score came from the signal graph instead, {@code unavailable} when
 * that failed too and the caller got STORE_UNAVAILABLE. {@code score_near_cache_requests_total{result}}:
 * reads of this replica's near cache, {@code hit}, {@code miss} (not held) or {@code expired}
 * (held longer than its maximum age); both of the last go on to the shared cache.
 */
@ApplicationScoped
public class QueryMetrics {

    /** No metrics (tests). */
    public static final QueryMetrics NONE = new QueryMetrics(null);

    /** How a read of the near cache went. */
    enum NearResult {
        HIT, MISS, EXPIRED;

        final Tag tag = new Tag("result", name().toLowerCase(java.util.Locale.ROOT));
    }

    private final MetricRegistry registry;
    private volatile Counter[] near;

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
        nearCounters();
    }

    void nearCache(NearResult result) {
        if (registry != null) {
            Counter[] counters = near;
            (counters != null ? counters : nearCounters())[result.ordinal()].inc();
        }
    }

    /** Looked up once: the near cache's hit path is the hottest read there is. */
    private Counter[] nearCounters() {
        Counter[] counters = new Counter[NearResult.values().length];
        for (NearResult r : NearResult.values()) {
            counters[r.ordinal()] = registry.counter("score_near_cache_requests", r.tag);
        }
        near = counters;
        return counters;
    }

    void degraded(boolean computed) {
        if (registry != null) {
            registry.counter("score_reads_degraded", new Tag("outcome", computed ? "computed" : "unavailable")).inc();
        }
    }
}
