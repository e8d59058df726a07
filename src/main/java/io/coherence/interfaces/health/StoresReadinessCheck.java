package io.coherence.interfaces.health;

import io.coherence.application.StoreProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each store's state is in the response data. The service is ready while it still serves: with
 * Neo4j down it reads scores from PostgreSQL (writes answer 503); with PostgreSQL down it writes
 * and computes scores from Neo4j. Either way it answers {@code degraded} naming the stores that
 * are down, and stays in the load balancer, because every replica shares the same stores and
 * taking them all out would turn a partial outage into a whole one. It is unready only when no
 * store it needs answers. Optional stores (the cache) are reported but never count.
 */
@Readiness
@ApplicationScoped
public class StoresReadinessCheck implements HealthCheck {

    @Inject
    Instance<StoreProbe> probes;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("stores");
        List<String> down = new ArrayList<>();
        int required = 0;
        int requiredDown = 0;
        for (StoreProbe probe : probes) {
            String state = probe.state();
            response.withData(probe.name(), state);
            if ("DOWN".equals(state)) {
                down.add(probe.name());
            }
            if (probe.requiredForReadiness()) {
                required++;
                if ("DOWN".equals(state)) {
                    requiredDown++;
                }
            }
        }
        if (!down.isEmpty()) {
            response.withData("degraded", String.join(",", down));
        }
        return response.status(required == 0 || requiredDown < required).build();
    }
}
