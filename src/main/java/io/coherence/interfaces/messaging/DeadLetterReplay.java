package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.DeadLetterReplays;
import io.coherence.application.ingest.StreamIngest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Replays dead letters after their cause is fixed: reads the dead-letter topic from its cursor (the
 * committed offsets of the group {@code <KAFKA_GROUP_ID>-dead-letter-replay}) up to where it ended
 * when the replay started, and ingests each matching dead letter (optionally one error code and/or
 * one tenant, at most {@code limit}) through {@link StreamIngest}, as the consumer would, with its
 * key, value, timestamp and headers. Nothing is appended to either topic: a dead letter refused
 * again stays where it is, once. The cursor moves over the leading dead letters that are stored,
 * so a replay never grows the topic and a repeated replay redoes only what is not yet stored.
 */
@ApplicationScoped
public class DeadLetterReplay implements DeadLetterReplays {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final KafkaSettings settings;
    private final StreamIngest ingest;

    /** For the CDI client proxy only. */
    protected DeadLetterReplay() {
        this(null, null);
    }

    @Inject
    public DeadLetterReplay(KafkaSettings settings, StreamIngest ingest) {
        this.settings = settings;
        this.ingest = ingest;
    }

    /** One replay at a time on this server: two would ingest the same dead letters twice (harmless, but wasted). */
    @Override
    public synchronized Result replay(Filter filter) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId() + "-dead-letter-replay");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "coherence-dead-letter-replay");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchRecords());
        String subject = "kafka-replay:" + settings.deadLetterTopic();
        ReplayPass.Ingest replaying = records -> {
            StreamIngest.Admission admission = ingest.admit("kafka", subject, records);
            return new ReplayPass.Taken(ingest.commit(admission), admission.throttledFor());
        };
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.deadLetterTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
            Map<TopicPartition, Long> start = new HashMap<>();
            for (TopicPartition p : partitions) {
                OffsetAndMetadata at = committed.get(p);
                if (at == null) {
                    consumer.seekToBeginning(List.of(p));
                } else {
                    consumer.seek(p, at.offset());
                }
                start.put(p, consumer.position(p));
            }
            // What the topic holds now: dead letters added during this replay wait for the next one.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            ReplayPass pass = new ReplayPass(filter, replaying, settings.batchRecords(), start, System::nanoTime,
                    System.nanoTime() + DEADLINE.toNanos());
            while (!pass.reached(ends) && pass.going()) {
                List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                        read.add(record);
                    }
                }
                pass.process(read);
                consumer.commitSync(pass.cursor().entrySet().stream()
                        .collect(Collectors.toMap(Map.Entry::getKey, e -> new OffsetAndMetadata(e.getValue()))));
            }
            Result result = pass.result(pass.reached(ends));
            LOG.info(() -> "dead-letter replay (" + filter + "): " + result);
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying dead letters", e);
        }
    }
}
