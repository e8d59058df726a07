package io.coherence.interfaces.health;

import io.coherence.application.StoreProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when every store the service needs answers; each store's state is in the response data.
 * Optional stores (the cache) are reported but never make the service unready.
 */
@Readiness
@ApplicationScoped
public class StoresReadinessCheck implements HealthCheck {

    @Inject
    Instance<StoreProbe> probes;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("stores").up();
        for (StoreProbe probe : probes) {
            String state = probe.state();
            response.withData(probe.name(), state);
            if ("DOWN".equals(state) && probe.requiredForReadiness()) {
                response.down();
            }
        }
        return response.build();
    }
}
