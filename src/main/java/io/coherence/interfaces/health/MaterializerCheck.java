package io.coherence.interfaces.health;

import io.coherence.application.scoring.MaterializerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the materializer on this replica: {@code running}, or {@code blocked} (it cannot take
 * its lock, i.e. PostgreSQL is failing) since when and why, and its lag in seconds. Reported, never
 * gating: reads are still served while scores age, and alerts watch {@code materializer_lag_seconds}.
 */
@Readiness
@ApplicationScoped
public class MaterializerCheck implements HealthCheck {

    @Inject
    MaterializerMetrics metrics;

    @Override
    public HealthCheckResponse call() {
        MaterializerMetrics.Status status = metrics.status();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("materializer").up()
                .withData("state", status.state())
                .withData("lagSeconds", String.format(java.util.Locale.ROOT, "%.1f", status.lagSeconds()));
        if (status.blockedSince() != null) {
            response.withData("blockedSince", status.blockedSince().toString());
            response.withData("reason", status.reason());
        }
        return response.build();
    }
}
