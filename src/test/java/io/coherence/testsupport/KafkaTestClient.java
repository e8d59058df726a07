package io.coherence.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Produces to and inspects the test broker: the signal topic, its dead letters and the service's group. */
public final class KafkaTestClient implements AutoCloseable {

    public static final String GROUP = "coherence-ingest";

    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    public KafkaTestClient(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    public static KafkaTestClient forTestBroker() {
        return new KafkaTestClient(EmbeddedKafka.shared().bootstrap());
    }

    public RecordMetadata produce(String key, String value) {
        return produce(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends one record to the signal topic and waits for the broker; a null timestamp means now. */
    public RecordMetadata produce(byte[] key, byte[] value, Long timestamp) {
        return send(new ProducerRecord<>(EmbeddedKafka.TOPIC, null, timestamp, key, value));
    }

    /** Sends one record carrying a W3C {@code traceparent} header, as an instrumented producer would. */
    public RecordMetadata produceTraced(String key, String value, String traceparent) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(EmbeddedKafka.TOPIC,
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        try {
            return producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The service's committed offset on a partition of the signal topic (-1: none). */
    public long committed(int partition) {
        try {
            OffsetAndMetadata at = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition(EmbeddedKafka.TOPIC, partition));
            return at == null ? -1 : at.offset();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Waits until the service has committed past this record (so it has been ingested or dead-lettered). */
    public void awaitCommittedPast(RecordMetadata record, Duration timeout) {
        Eventually.await("the service committed past " + record, timeout, () -> committed(record.partition()) > record.offset());
    }

    /** Moves the service's committed offset of a partition back (the group must have no members). */
    public void rewind(int partition, long offset) {
        try {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(EmbeddedKafka.TOPIC, partition),
                    new OffsetAndMetadata(offset))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every dead letter whose key is this tenant's, read from the start of the dead-letter topic. */
    public List<ConsumerRecord<byte[], byte[]>> deadLetters(String tenant) {
        return read(EmbeddedKafka.DLQ, r -> r.key() != null && tenant.equals(new String(r.key(), StandardCharsets.UTF_8)));
    }

    /** Every record of a topic matching the predicate, as of now. */
    public List<ConsumerRecord<byte[], byte[]>> read(String topic, Predicate<ConsumerRecord<byte[], byte[]>> which) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (which.test(r)) {
                        found.add(r);
                    }
                });
            }
        }
        return found;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
