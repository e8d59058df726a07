package io.coherence.application.limits;

/**
 * The limits in force: {@code global} requests per second over all callers (CONDUCTOR_RPS_MAX),
 * requests per second per tenant, and signals per second per tenant on ingest.
 */
public record RateLimitSettings(RateLimit global, RateLimit tenantRequests, RateLimit tenantSignals) {

    public static final RateLimitSettings OFF = new RateLimitSettings(RateLimit.OFF, RateLimit.OFF, RateLimit.OFF);
}
