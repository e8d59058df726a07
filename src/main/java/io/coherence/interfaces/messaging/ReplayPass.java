package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.DeadLetterReplays;
import io.coherence.application.ingest.StreamIngest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One replay of dead letters: ingests the matching ones in place (nothing is appended to any topic,
 * so a record refused again is not copied), counts what became of them, and moves the cursor of
 * each partition over the leading dead letters that are now stored. A dead letter skipped by the
 * filter or refused again holds the cursor, so a later replay sees it again.
 */
final class ReplayPass {

    /** Ingests records: outcomes for a prefix of them (all, unless a tenant's rate ran out) and how long to wait then. */
    interface Ingest {
        Taken ingest(List<StreamIngest.StreamRecord> records);
    }

    record Taken(List<StreamIngest.Outcome> outcomes, Duration pause) {
    }

    private final DeadLetterReplays.Filter filter;
    private final Ingest ingest;
    private final int batchRecords;
    private final LongSupplier nanoTime;
    private final long deadline;
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> cursor = new HashMap<>();
    private final Set<TopicPartition> held = new HashSet<>();
    private final Map<String, Long> failedAgainByCode = new TreeMap<>();
    private long scanned;
    private long skipped;
    private long replayed;
    private long accepted;
    private long duplicate;
    private long failedAgain;
    private boolean stopped;

    /**
     * @param start    each partition's first offset to read (its cursor)
     * @param deadline the {@code nanoTime} after which no more records are taken
     */
    ReplayPass(DeadLetterReplays.Filter filter, Ingest ingest, int batchRecords, Map<TopicPartition, Long> start,
               LongSupplier nanoTime, long deadline) {
        this.filter = filter;
        this.ingest = ingest;
        this.batchRecords = batchRecords;
        this.nanoTime = nanoTime;
        this.deadline = deadline;
        next.putAll(start);
        cursor.putAll(start);
    }

    /** False once the limit or the deadline stopped the replay before the records it was given. */
    boolean going() {
        return !stopped && replayed < filter.limit() && nanoTime.getAsLong() - deadline < 0;
    }

    /** Whether every partition was read up to these offsets. */
    boolean reached(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> next.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    /** Takes the next records read (in order per partition); stops at the limit or the deadline. */
    void process(List<ConsumerRecord<byte[], byte[]>> read) throws InterruptedException {
        int end = read.size();
        List<Integer> matching = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
            if (matches(read.get(i))) {
                if (replayed + matching.size() >= filter.limit()) {
                    end = i;
                    stopped = true;
                    break;
                }
                matching.add(i);
            }
        }
        StreamIngest.Outcome[] outcomes = new StreamIngest.Outcome[read.size()];
        int done = 0;
        while (done < matching.size()) {
            List<Integer> chunk = matching.subList(done, Math.min(matching.size(), done + batchRecords));
            List<StreamIngest.StreamRecord> records = new ArrayList<>(chunk.size());
            for (int i : chunk) {
                records.add(KafkaRecords.stream(read.get(i), origin(read.get(i))));
            }
            Taken taken = ingest.ingest(records);
            for (int j = 0; j < taken.outcomes().size(); j++) {
                outcomes[chunk.get(j)] = taken.outcomes().get(j);
            }
            done += taken.outcomes().size();
            if (taken.outcomes().size() < chunk.size()) {
                long waitNanos = taken.pause().toNanos();
                if (nanoTime.getAsLong() + waitNanos - deadline >= 0) {
                    end = matching.get(done);
                    stopped = true;
                    break;
                }
                TimeUnit.NANOSECONDS.sleep(waitNanos);
            }
        }
        for (int i = 0; i < end; i++) {
            account(read.get(i), outcomes[i]);
        }
    }

    private void account(ConsumerRecord<byte[], byte[]> record, StreamIngest.Outcome outcome) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        scanned++;
        boolean stored = false;
        if (outcome == null) {
            skipped++;
        } else {
            replayed++;
            if (outcome instanceof StreamIngest.Committed committed) {
                stored = true;
                if (committed.receipt().accepted() > 0) {
                    accepted++;
                } else {
                    duplicate++;
                }
            } else {
                failedAgain++;
                failedAgainByCode.merge(((StreamIngest.Refused) outcome).code().name(), 1L, Long::sum);
            }
        }
        next.put(partition, record.offset() + 1);
        if (!held.contains(partition)) {
            if (stored) {
                cursor.put(partition, record.offset() + 1);
            } else {
                held.add(partition);
            }
        }
    }

    private boolean matches(ConsumerRecord<byte[], byte[]> record) {
        if (filter.errorCode().isPresent()
                && !filter.errorCode().get().equals(KafkaRecords.header(record, DeadLetterTopic.ERROR_CODE))) {
            return false;
        }
        return filter.tenantId().isEmpty() || (record.key() != null
                && filter.tenantId().get().equals(new String(record.key(), StandardCharsets.UTF_8)));
    }

    /** Where the dead letter was first read, so the signals' provenance names the original record. */
    private static String origin(ConsumerRecord<byte[], byte[]> deadLetter) {
        String topic = KafkaRecords.header(deadLetter, DeadLetterTopic.ORIGINAL_TOPIC);
        String partition = KafkaRecords.header(deadLetter, DeadLetterTopic.ORIGINAL_PARTITION);
        String offset = KafkaRecords.header(deadLetter, DeadLetterTopic.ORIGINAL_OFFSET);
        return topic == null || partition == null || offset == null ? KafkaRecords.position(deadLetter)
                : topic + "/" + partition + "@" + offset;
    }

    /** Each partition's cursor: the first dead letter not known to be stored. */
    Map<TopicPartition, Long> cursor() {
        return Map.copyOf(cursor);
    }

    DeadLetterReplays.Result result(boolean complete) {
        Map<String, Long> cursors = new TreeMap<>();
        cursor.forEach((p, offset) -> cursors.put(Integer.toString(p.partition()), offset));
        return new DeadLetterReplays.Result(scanned, skipped, replayed, accepted, duplicate, failedAgain,
                Collections.unmodifiableMap(new TreeMap<>(failedAgainByCode)), Collections.unmodifiableMap(cursors), complete);
    }
}
