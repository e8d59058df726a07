package io.coherence.interfaces.health;

import io.coherence.application.ingest.StreamIngestStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports the Kafka consumer (when Kafka ingest is enabled): whether it runs, whether its writes
 * succeed, whether the broker answers, the group's state and the lag. Like the cache, Kafka is
 * optional, so it is reported but never makes the service unready: a broker outage must not take
 * the HTTP and GraphQL API out of the load balancer. Alert on the lag metric instead.
 */
@Readiness
@ApplicationScoped
public class KafkaConsumerCheck implements HealthCheck {

    @Inject
    StreamIngestStatus status;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumer").up();
        status.report().forEach((name, value) -> {
            if (value instanceof Boolean b) {
                response.withData(name, b);
            } else if (value instanceof Long l) {
                response.withData(name, l);
            } else {
                response.withData(name, String.valueOf(value));
            }
        });
        return response.build();
    }
}
