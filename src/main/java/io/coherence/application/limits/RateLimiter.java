package io.coherence.application.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Decides whether a request or a batch of signals may go on. Requests take a token from the
 * global bucket and, once the caller is known, from their tenant's; ingest takes one token per
 * signal from the tenant's signal bucket. Limits are read through {@code settings} on every call,
 * so changed limits apply without a restart.
 */
@ApplicationScoped
public class RateLimiter {

    static final String GLOBAL = "global";
    static final String TENANT = "tenant";
    static final String SIGNALS = "tenant-signals";

    private final RateBuckets buckets;
    private final RateLimitSource settings;
    private final MetricRegistry metrics;

    /** For the CDI client proxy only. */
    protected RateLimiter() {
        this(null, null, null);
    }

    /** Without metrics (tests). */
    public RateLimiter(RateBuckets buckets, RateLimitSource settings) {
        this(buckets, settings, null);
    }

    /** Counts refusals in {@code rate_limit_rejections_total{limit}} (global, tenant, tenant-signals). */
    @Inject
    public RateLimiter(RateBuckets buckets, RateLimitSource settings, MetricRegistry metrics) {
        this.buckets = buckets;
        this.settings = settings;
        this.metrics = metrics;
    }

    private Admission counted(String limit, Admission admission) {
        if (!admission.admitted() && metrics != null) {
            metrics.counter("rate_limit_rejections", new Tag("limit", limit)).inc();
        }
        return admission;
    }

    /** One request from anyone, before the caller is known. */
    public Admission request() {
        RateLimit global = settings.current().global();
        return global.off() ? Admission.ADMITTED
                : counted(GLOBAL, buckets.take(GLOBAL + ":" + global.signature(), global, 1).by("global requests per second"));
    }

    /** One request from a tenant's caller. */
    public Admission tenantRequest(String tenant) {
        RateLimit limit = settings.current().tenantRequests();
        return limit.off() ? Admission.ADMITTED
                : counted(TENANT, buckets.take(TENANT + ":" + limit.signature() + ":" + tenant, limit, 1)
                        .by("requests per second of tenant"));
    }

    /**
     * Takes one token per signal from the tenant's ingest bucket.
     *
     * @throws RateLimitedException when the bucket does not hold them (nothing is taken then)
     */
    public void signals(String tenant, int count) {
        RateLimit limit = settings.current().tenantSignals();
        if (limit.off()) {
            return;
        }
        Admission admission = counted(SIGNALS, buckets.take(SIGNALS + ":" + limit.signature() + ":" + tenant, limit, count)
                .by("signals per second of tenant"));
        if (!admission.admitted()) {
            throw new RateLimitedException(admission);
        }
    }

    /** Where the limits come from (configuration, re-read as it changes). */
    @FunctionalInterface
    public interface RateLimitSource {
        RateLimitSettings current();
    }
}
