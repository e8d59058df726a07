package io.coherence.interfaces.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Sends dead letters back to the signal topic after their cause is fixed: every record the
 * dead-letter topic holds when the replay starts (optionally only one error code and/or one
 * tenant, at most {@code limit}), with its key, value and timestamp. Replay keeps no cursor: a
 * second replay sends the same records again, which is harmless, because the signals they carry
 * keep their identities and are stored once (a record still refused is dead-lettered again).
 */
@ApplicationScoped
public class DeadLetterReplay {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class.getName());
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private final KafkaSettings settings;
    private final DeadLetterTopic deadLetters;

    /** For the CDI client proxy only. */
    protected DeadLetterReplay() {
        this(null, null);
    }

    @Inject
    public DeadLetterReplay(KafkaSettings settings, DeadLetterTopic deadLetters) {
        this.settings = settings;
        this.deadLetters = deadLetters;
    }

    /** Which dead letters to replay. */
    public record Filter(Optional<String> errorCode, Optional<String> tenantId, int limit) {
    }

    /**
     * What a replay did: dead letters read, how many matched and were sent back, and where the sent
     * ones were (topic/partition@offset, the first 100).
     */
    public record Result(long scanned, long replayed, List<String> replayedFrom, boolean complete) {
    }

    public Result replay(Filter filter) {
        Map<String, Object> config = new HashMap<>(settings.clientProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "coherence-dead-letter-replay");
        long scanned = 0;
        List<Future<?>> sent = new ArrayList<>();
        List<String> from = new ArrayList<>();
        boolean complete;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(settings.deadLetterTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // What the topic holds now: records dead-lettered again during this replay are not read.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!reachedEnds(consumer, ends) && sent.size() < filter.limit() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() >= ends.get(new TopicPartition(record.topic(), record.partition()))
                            || sent.size() >= filter.limit()) {
                        continue;
                    }
                    scanned++;
                    if (matches(record, filter)) {
                        sent.add(deadLetters.replay(record));
                        if (from.size() < 100) {
                            from.add(record.topic() + "/" + record.partition() + "@" + record.offset());
                        }
                    }
                }
            }
            complete = reachedEnds(consumer, ends);
        }
        for (Future<?> f : sent) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while replaying", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the signal topic did not take a replayed record", e.getCause());
            }
        }
        long replayed = sent.size();
        long read = scanned;
        LOG.info(() -> "replayed " + replayed + " of " + read + " dead letters read (" + filter + ")");
        return new Result(scanned, replayed, List.copyOf(from), complete);
    }

    private static boolean reachedEnds(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static boolean matches(ConsumerRecord<byte[], byte[]> record, Filter filter) {
        if (filter.errorCode().isPresent() && !filter.errorCode().get().equals(header(record, DeadLetterTopic.ERROR_CODE))) {
            return false;
        }
        return filter.tenantId().isEmpty() || (record.key() != null
                && filter.tenantId().get().equals(new String(record.key(), StandardCharsets.UTF_8)));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
