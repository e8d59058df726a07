package io.coherence.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
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

/**
 * Produces to and inspects the test broker: the signal topic, its dead letters and the service's group.
 * A record it produces carries an {@code authorization} header with a write token for the tenant its
 * key names, as a producer must under the default trust ({@code COHERENCE_KAFKA_TRUST=token}).
 */
public final class KafkaTestClient implements AutoCloseable {

    public static final String GROUP = "coherence-ingest";
    public static final String AUTHORIZATION = "authorization";

    private final String bootstrap;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    /** Tenant to write token; null: records go without a token. */
    private final Function<String, String> tokens;
    private final Map<String, String> minted = new ConcurrentHashMap<>();

    /** For a broker no server consumes from: records carry no token. */
    public KafkaTestClient(String bootstrap) {
        this(bootstrap, null);
    }

    public KafkaTestClient(String bootstrap, Function<String, String> tokens) {
        this.bootstrap = bootstrap;
        this.tokens = tokens;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** For the Liberty test server's broker, with write tokens signed by the server's trusted key. */
    public static KafkaTestClient forTestBroker() {
        TokenMinter minter = new TokenMinter(DevKeys.loadOrCreate(Path.of(System.getProperty(LibertyStackListener.KEYS_DIR)))
                .privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        return new KafkaTestClient(EmbeddedKafka.shared().bootstrap(),
                tenant -> minter.mint(tenant, List.of("coherence:write"), Duration.ofHours(1)));
    }

    /** The header value a producer sends for this tenant: {@code Bearer <token>}. */
    public String authorization(String tenant) {
        return "Bearer " + minted.computeIfAbsent(tenant, tokens);
    }

    public RecordMetadata produce(String key, String value) {
        return produce(key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), null);
    }

    /** Sends one record to the signal topic and waits for the broker; a null timestamp means now. */
    public RecordMetadata produce(byte[] key, byte[] value, Long timestamp) {
        return send(new ProducerRecord<>(EmbeddedKafka.TOPIC, null, timestamp, key, value));
    }

    /** Sends one record with exactly this {@code authorization} header value (null: none). */
    public RecordMetadata produceAuthorized(String key, String value, String authorization) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(EmbeddedKafka.TOPIC,
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        if (authorization != null) {
            record.headers().add(AUTHORIZATION, authorization.getBytes(StandardCharsets.UTF_8));
        }
        return sendAsIs(record);
    }

    /** Sends one record carrying a W3C {@code traceparent} header, as an instrumented producer would. */
    public RecordMetadata produceTraced(String key, String value, String traceparent) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(EmbeddedKafka.TOPIC,
                key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        return send(record);
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        if (tokens != null && record.key() != null && record.headers().lastHeader(AUTHORIZATION) == null) {
            record.headers().add(AUTHORIZATION,
                    authorization(new String(record.key(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
        return sendAsIs(record);
    }

    private RecordMetadata sendAsIs(ProducerRecord<byte[], byte[]> record) {
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
