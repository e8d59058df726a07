package io.coherence.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The embedded broker is a real one: its topics exist, and a consumer group reads what was produced, in order per key. */
class EmbeddedKafkaIT {

    @Test
    void aConsumerGroupReadsWhatWasProducedInOrderPerKey() throws Exception {
        Path dir = Files.createTempDirectory("embedded-kafka-it");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 3)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
                assertThat(admin.listTopics().names().get()).contains(EmbeddedKafka.TOPIC, EmbeddedKafka.DLQ);
                assertThat(admin.describeTopics(Set.of(EmbeddedKafka.TOPIC)).allTopicNames().get()
                        .get(EmbeddedKafka.TOPIC).partitions()).hasSize(3);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(EmbeddedKafka.TOPIC, "tenant-" + (i % 2), "{\"n\":" + i + "}")).get();
                }
            }
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ConsumerConfig.GROUP_ID_CONFIG, "it",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(EmbeddedKafka.TOPIC));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (read.size() < 10 && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                }
            }
            assertThat(read).hasSize(10);
            assertThat(read.stream().filter(r -> r.key().equals("tenant-0")).map(ConsumerRecord::value))
                    .containsExactly("{\"n\":0}", "{\"n\":2}", "{\"n\":4}", "{\"n\":6}", "{\"n\":8}");
        }
    }

    @Test
    void theErasureRetentionIsSetOnBothTopics() throws Exception {
        Path dir = Files.createTempDirectory("embedded-kafka-it");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 1)) {
            kafka.configureTopics(EmbeddedKafka.ERASURE_RETENTION);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
                for (String topic : List.of(EmbeddedKafka.TOPIC, EmbeddedKafka.DLQ)) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                    assertThat(config.get("retention.ms").value()).as(topic).isEqualTo("64800000");
                    assertThat(config.get("segment.ms").value()).as(topic).isEqualTo("3600000");
                }
            }
        }
    }
}
