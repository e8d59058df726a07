package io.coherence.interfaces.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Kafka ingest settings (read once, when Kafka ingest first needs them). The consumer's own settings are the Reactive
 * Messaging channel's ({@code mp.messaging.incoming.coherence-signals.*}); the clients this
 * application opens itself (dead-letter producer, lag and replay) take the same connection and
 * security settings, so TLS or SASL is configured once.
 */
@ApplicationScoped
public class KafkaSettings {

    /** The Reactive Messaging channel that reads the signal topic. */
    public static final String CHANNEL = "coherence-signals";
    static final String CHANNEL_PREFIX = "mp.messaging.incoming." + CHANNEL + ".";
    static final String CONNECTOR_PREFIX = "mp.messaging.connector.liberty-kafka.";

    /** Channel attributes that are the connector's or the consumer's own, not connection settings. */
    private static final Set<String> NOT_FOR_OTHER_CLIENTS = Set.of("connector", "topic", "unacked.limit", "fast.ack",
            "context.service", "group.id", "key.deserializer", "value.deserializer", "enable.auto.commit",
            "auto.offset.reset", "max.poll.records");

    private Config config() {
        return ConfigProvider.getConfig();
    }

    // Read once: the consumer asks for some of these on every record.
    private String topic;
    private String deadLetterTopic;
    private String groupId;
    private int batchRecords;
    private long bufferBytes;
    private Duration retryBackoffMax;
    private Duration lagInterval;

    @PostConstruct
    void read() {
        Config config = config();
        topic = config.getValue("KAFKA_TOPIC", String.class);
        deadLetterTopic = config.getValue("KAFKA_DLQ_TOPIC", String.class);
        groupId = config.getValue("KAFKA_GROUP_ID", String.class);
        batchRecords = Math.max(1, config.getValue("COHERENCE_KAFKA_BATCH_RECORDS", Integer.class));
        bufferBytes = Math.max(1, config.getValue("COHERENCE_KAFKA_BUFFER_BYTES", Long.class));
        retryBackoffMax = config.getValue("COHERENCE_KAFKA_RETRY_BACKOFF_MAX", Duration.class);
        lagInterval = config.getValue("COHERENCE_KAFKA_LAG_INTERVAL", Duration.class);
    }

    public String topic() {
        return topic;
    }

    public String deadLetterTopic() {
        return deadLetterTopic;
    }

    public String groupId() {
        return groupId;
    }

    /** Records ingested together: admitted one by one, written in one call. */
    public int batchRecords() {
        return batchRecords;
    }

    /** Bytes of record values held in memory before the consumer stops taking more. */
    public long bufferBytes() {
        return bufferBytes;
    }

    /** The longest pause between two attempts to write a batch while the store is unavailable. */
    public Duration retryBackoffMax() {
        return retryBackoffMax;
    }

    /** How often consumer lag is measured. */
    public Duration lagInterval() {
        return lagInterval;
    }

    /** Connection settings (bootstrap servers, security) for clients other than the consumer. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        collect(CONNECTOR_PREFIX, properties);
        collect(CHANNEL_PREFIX, properties);
        return properties;
    }

    private void collect(String prefix, Map<String, Object> into) {
        Config config = config();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix) && !NOT_FOR_OTHER_CLIENTS.contains(name.substring(prefix.length()))) {
                config.getOptionalValue(name, String.class).ifPresent(v -> into.put(name.substring(prefix.length()), v));
            }
        }
    }
}
