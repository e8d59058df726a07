package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.StreamIngest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** How a Kafka record becomes a stream record, the same for the consumer and for replay. */
final class KafkaRecords {

    /** The header a producer states its identity in: {@code Bearer <JWT>} (COHERENCE_KAFKA_TRUST=token). */
    static final String AUTHORIZATION = "authorization";

    private KafkaRecords() {
    }

    static String position(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    /** A record as the stream ingest takes it; {@code origin} is where it was first read. */
    static StreamIngest.StreamRecord stream(ConsumerRecord<byte[], byte[]> record, String origin) {
        Header authorization = record.headers().lastHeader(AUTHORIZATION);
        // Kafka stamps -1 when a record has no timestamp; the time rules refuse it if a signal needs it.
        return new StreamIngest.StreamRecord(record.key(), record.value(), origin, Instant.ofEpochMilli(record.timestamp()),
                authorization == null || authorization.value() == null ? null
                        : new String(authorization.value(), StandardCharsets.UTF_8));
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
