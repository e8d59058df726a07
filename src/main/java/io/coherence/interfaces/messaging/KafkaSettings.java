package io.coherence.interfaces.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Kafka ingest settings (read when Kafka is on). The consumer's own settings are the Reactive
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

    public String topic() {
        return config().getValue("KAFKA_TOPIC", String.class);
    }

    public String deadLetterTopic() {
        return config().getValue("KAFKA_DLQ_TOPIC", String.class);
    }

    public String groupId() {
        return config().getValue("KAFKA_GROUP_ID", String.class);
    }

    /** Records ingested together: admitted one by one, written in one call. */
    public int batchRecords() {
        return Math.max(1, config().getValue("COHERENCE_KAFKA_BATCH_RECORDS", Integer.class));
    }

    /** Bytes of record values held in memory before the consumer stops taking more. */
    public long bufferBytes() {
        return Math.max(1, config().getValue("COHERENCE_KAFKA_BUFFER_BYTES", Long.class));
    }

    /** The longest pause between two attempts to write a batch while the store is unavailable. */
    public Duration retryBackoffMax() {
        return config().getValue("COHERENCE_KAFKA_RETRY_BACKOFF_MAX", Duration.class);
    }

    /** How often consumer lag is measured. */
    public Duration lagInterval() {
        return config().getValue("COHERENCE_KAFKA_LAG_INTERVAL", Duration.class);
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
