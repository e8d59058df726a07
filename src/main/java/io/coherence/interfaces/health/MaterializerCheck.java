package io.coherence.interfaces.health;

import io.coherence.application.scoring.MaterializerMetrics;
import io.coherence.application.scoring.TenantBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the materializer on this replica: {@code running}, or {@code blocked} (it cannot take
 * its lock, i.e. PostgreSQL is failing) since when and why, and its lag in seconds. Reported, never
 * gating: reads are still served while scores age, and alerts watch {@code materializer_lag_seconds}.
 * Tenants whose scoring keeps failing are named too (the longest failing first, at most
 * {@value #NAMED}), with the oldest one's failure: they wait out a backoff and leave the lag.
 */
@Readiness
@ApplicationScoped
public class MaterializerCheck implements HealthCheck {

    static final int NAMED = 5;

    @Inject
    MaterializerMetrics metrics;

    @Override
    public HealthCheckResponse call() {
        MaterializerMetrics.Status status = metrics.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("materializer").up()
                .withData("state", status.state())
                .withData("lagSeconds", String.format(java.util.Locale.ROOT, "%.1f", status.lagSeconds()));
        List<TenantBackoff.Failure> failing = status.failingTenants();
        response.withData("failingTenants", failing.size());
        if (!failing.isEmpty()) {
            TenantBackoff.Failure oldest = failing.get(0);
            response.withData("failing", failing.stream().limit(NAMED).map(f -> f.tenant().value())
                    .collect(Collectors.joining(", ")));
            response.withData("failingSince", oldest.since().toString());
            response.withData("failingReason", oldest.reason());
        }
        if (status.blockedSince() != null) {
            response.withData("blockedSince", status.blockedSince().toString());
            response.withData("reason", status.reason());
        }
        return response.build();
    }
}
