package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.StreamIngest;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The dead-letter topic ({@code coherence.signals.v1.dlq}): a refused record goes there as it was
 * (key, value, timestamp and headers), with headers naming the error and where the record was
 * read, through one idempotent producer. Replay ({@link DeadLetterReplay}) ingests dead letters
 * where they are and sends nothing here, so a dead letter refused again is not copied.
 */
@ApplicationScoped
public class DeadLetterTopic {

    public static final String ERROR_CODE = "coherence.error.code";
    public static final String ERROR_REASON = "coherence.error.reason";
    public static final String ORIGINAL_TOPIC = "coherence.original.topic";
    public static final String ORIGINAL_PARTITION = "coherence.original.partition";
    public static final String ORIGINAL_OFFSET = "coherence.original.offset";
    public static final String DEAD_LETTERED_AT = "coherence.dead-lettered.at";

    private static final java.util.Set<String> OWN_HEADERS = java.util.Set.of(ERROR_CODE, ERROR_REASON, ORIGINAL_TOPIC,
            ORIGINAL_PARTITION, ORIGINAL_OFFSET, DEAD_LETTERED_AT);

    private final KafkaSettings settings;
    private final MetricRegistry metrics;
    private final Clock clock;
    private KafkaProducer<byte[], byte[]> producer;

    /** For the CDI client proxy only. */
    protected DeadLetterTopic() {
        this(null, null, null);
    }

    @Inject
    public DeadLetterTopic(KafkaSettings settings, MetricRegistry metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sends a refused record to the dead-letter topic; the future completes when the broker has it. */
    public Future<RecordMetadata> send(ConsumerRecord<byte[], byte[]> record, StreamIngest.Refused refused) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!OWN_HEADERS.contains(h.key())) {
                headers.add(h);
            }
        }
        header(headers, ERROR_CODE, refused.code().name());
        header(headers, ERROR_REASON, refused.reason());
        header(headers, ORIGINAL_TOPIC, record.topic());
        header(headers, ORIGINAL_PARTITION, Integer.toString(record.partition()));
        header(headers, ORIGINAL_OFFSET, Long.toString(record.offset()));
        header(headers, DEAD_LETTERED_AT, clock.instant().toString());
        return producer().send(new ProducerRecord<>(settings.deadLetterTopic(), null, record.timestamp(), record.key(),
                record.value(), headers));
    }

    /** Counts a record the dead-letter topic took ({@code ingest_dead_lettered_total{code}}). */
    public void counted(StreamIngest.Refused refused) {
        metrics.counter("ingest_dead_lettered", new Tag("code", refused.code().name())).inc();
    }

    private static void header(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = new HashMap<>(settings.clientProperties());
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "coherence-dead-letters");
            producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
            producer = null;
        }
    }
}
