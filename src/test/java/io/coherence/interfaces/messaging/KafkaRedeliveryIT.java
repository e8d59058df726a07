package io.coherence.interfaces.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Deployments;
import io.coherence.testsupport.KafkaTestClient;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least once across a consumer restart: the application is undeployed (its consumer leaves the
 * group), the group's committed offset is moved back as if the commits after the writes had been
 * lost in a crash, and the application is deployed again. The consumer re-reads records whose
 * signals are already stored: they stay stored once and the score does not move.
 */
@ExtendWith(ArquillianExtension.class)
class KafkaRedeliveryIT {

    private static final String DEPLOYMENT = "coherence";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ArquillianResource
    Deployer deployer;

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Deployment(name = DEPLOYMENT, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.coherenceWar();
    }

    @Test
    void recordsRedeliveredAfterARestartAreStoredOnce() {
        String tenant = "it-kafka-redelivery-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            deployer.deploy(DEPLOYMENT);
            RecordMetadata first = null;
            RecordMetadata last = null;
            for (int i = 0; i < 10; i++) {
                last = kafka.produce(tenant, KafkaIngestIT.signal(tenant, i % 2 == 0 ? 1.0 : 0.5, "r-" + i));
                first = first == null ? last : first;
            }
            kafka.awaitCommittedPast(last, WAIT);
            assertThat(api.signalCount(tenant)).isEqualTo(10);

            deployer.undeploy(DEPLOYMENT);
            kafka.rewind(first.partition(), first.offset());
            assertThat(kafka.committed(first.partition())).isEqualTo(first.offset());
            deployer.deploy(DEPLOYMENT);

            kafka.awaitCommittedPast(last, WAIT);
            assertThat(api.signalCount(tenant)).isEqualTo(10);
            String metrics = api.get("/metrics").body();
            assertThat(metrics).containsPattern("ingest_events_processed_total\\{channel=\"kafka\"[^}]*outcome=\"duplicate\"");
        } finally {
            deployer.undeploy(DEPLOYMENT);
        }
    }
}
