package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.DeadLetterReplays;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ErrorCode;
import io.coherence.application.ingest.IngestReceipt;
import io.coherence.application.ingest.StreamIngest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayPassTest {

    private static final String DLQ = "coherence.signals.v1.dlq";
    private static final TopicPartition P0 = new TopicPartition(DLQ, 0);
    private static final TopicPartition P1 = new TopicPartition(DLQ, 1);

    /** What the fake ingest was given, and how many records it takes per call before the rate runs out. */
    private final List<StreamIngest.StreamRecord> ingested = new ArrayList<>();
    private int takesPerCall = Integer.MAX_VALUE;

    /** Values say what becomes of a record: ok (stored now), dup (stored before), anything else refused. */
    private final ReplayPass.Ingest ingest = records -> {
        List<StreamIngest.Outcome> outcomes = new ArrayList<>();
        for (StreamIngest.StreamRecord r : records.subList(0, Math.min(records.size(), takesPerCall))) {
            ingested.add(r);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            outcomes.add(switch (value) {
                case "ok" -> committed("accepted");
                case "dup" -> committed("duplicate");
                default -> new StreamIngest.Refused(ErrorCode.BAD_USER_INPUT, "still " + value);
            });
        }
        return new ReplayPass.Taken(outcomes, outcomes.size() < records.size() ? Duration.ofMillis(5) : Duration.ZERO);
    };

    private static StreamIngest.Outcome committed(String status) {
        return new StreamIngest.Committed(new IngestReceipt(List.of(new IngestReceipt.Item("s", "p", status))));
    }

    private static ConsumerRecord<byte[], byte[]> deadLetter(int partition, long offset, String tenant, String value) {
        ConsumerRecord<byte[], byte[]> r = new ConsumerRecord<>(DLQ, partition, offset, tenant.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetterTopic.ERROR_CODE, "BAD_USER_INPUT".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetterTopic.ORIGINAL_TOPIC, "coherence.signals.v1".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetterTopic.ORIGINAL_PARTITION, "2".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetterTopic.ORIGINAL_OFFSET, Long.toString(100 + offset).getBytes(StandardCharsets.UTF_8));
        r.headers().add(KafkaRecords.AUTHORIZATION, ("Bearer token-of-" + tenant).getBytes(StandardCharsets.UTF_8));
        return r;
    }

    private static DeadLetterReplays.Filter tenant(String tenant, int limit) {
        return new DeadLetterReplays.Filter(Optional.empty(), Optional.of(tenant), limit);
    }

    private ReplayPass pass(DeadLetterReplays.Filter filter, Map<TopicPartition, Long> start) {
        return new ReplayPass(filter, ingest, 2, start, System::nanoTime, System.nanoTime() + Duration.ofMinutes(1).toNanos());
    }

    private static final List<ConsumerRecord<byte[], byte[]>> TOPIC = List.of(
            deadLetter(0, 0, "tenant-a", "ok"),
            deadLetter(1, 0, "tenant-a", "ok"),
            deadLetter(0, 1, "tenant-a", "bad"),
            deadLetter(1, 1, "tenant-b", "ok"),
            deadLetter(0, 2, "tenant-a", "dup"),
            deadLetter(1, 2, "tenant-a", "ok"));

    @Test
    void countsWhatBecameOfEachDeadLetterAndMovesTheCursorOverTheLeadingStoredOnes() throws InterruptedException {
        ReplayPass pass = pass(tenant("tenant-a", 100), Map.of(P0, 0L, P1, 0L));
        pass.process(TOPIC);

        DeadLetterReplays.Result result = pass.result(pass.reached(Map.of(P0, 3L, P1, 3L)));
        assertThat(result).isEqualTo(new DeadLetterReplays.Result(6, 1, 5, 3, 1, 1, Map.of("BAD_USER_INPUT", 1L),
                Map.of("0", 1L, "1", 1L), true));
        // The refused dead letter (0@1) and the skipped one (1@1) hold their partitions' cursors.
        assertThat(pass.cursor()).isEqualTo(Map.of(P0, 1L, P1, 1L));
        assertThat(ingested).extracting(StreamIngest.StreamRecord::origin).containsExactly("coherence.signals.v1/2@100",
                "coherence.signals.v1/2@100", "coherence.signals.v1/2@101", "coherence.signals.v1/2@102",
                "coherence.signals.v1/2@102");
        assertThat(ingested.get(0).authorization()).isEqualTo("Bearer token-of-tenant-a");
    }

    @Test
    void replayingAgainFromTheCursorRedoesOnlyWhatIsNotStoredAndRefusesTheSameRecordOnceEachTime() throws InterruptedException {
        Map<TopicPartition, Long> cursor = Map.of(P0, 0L, P1, 0L);
        for (int round = 0; round < 3; round++) {
            ReplayPass pass = pass(tenant("tenant-a", 100), cursor);
            pass.process(TOPIC.stream().filter(r -> r.offset() >= cursor(r, pass)).toList());
            DeadLetterReplays.Result result = pass.result(true);
            assertThat(result.failedAgain()).as("round " + round).isEqualTo(1);
            cursor = pass.cursor();
        }
        assertThat(cursor).isEqualTo(Map.of(P0, 1L, P1, 1L));
    }

    private static long cursor(ConsumerRecord<byte[], byte[]> record, ReplayPass pass) {
        return pass.cursor().get(new TopicPartition(record.topic(), record.partition()));
    }

    @Test
    void stopsAtTheLimitWithoutCountingWhatItDidNotTake() throws InterruptedException {
        ReplayPass pass = pass(tenant("tenant-a", 2), Map.of(P0, 0L, P1, 0L));
        pass.process(TOPIC);

        assertThat(pass.going()).isFalse();
        DeadLetterReplays.Result result = pass.result(pass.reached(Map.of(P0, 3L, P1, 3L)));
        assertThat(result.replayed()).isEqualTo(2);
        assertThat(result.scanned()).isEqualTo(2);
        assertThat(result.complete()).isFalse();
        assertThat(pass.cursor()).isEqualTo(Map.of(P0, 1L, P1, 1L));
    }

    @Test
    void waitsForTheTenantsRateAndStopsAtTheDeadlineLeavingTheRestBehindTheCursor() throws InterruptedException {
        takesPerCall = 1;
        ReplayPass patient = pass(tenant("tenant-a", 100), Map.of(P0, 0L, P1, 0L));
        patient.process(TOPIC);
        assertThat(patient.result(true).replayed()).isEqualTo(5);

        ingested.clear();
        AtomicLong clock = new AtomicLong();
        ReplayPass hurried = new ReplayPass(tenant("tenant-a", 100), ingest, 2, Map.of(P0, 0L, P1, 0L), clock::get, 3);
        hurried.process(TOPIC);
        assertThat(ingested).hasSize(1);
        DeadLetterReplays.Result result = hurried.result(hurried.reached(Map.of(P0, 3L, P1, 3L)));
        assertThat(result.replayed()).isEqualTo(1);
        assertThat(result.complete()).isFalse();
        assertThat(hurried.going()).isFalse();
        assertThat(hurried.cursor()).isEqualTo(Map.of(P0, 1L, P1, 0L));
    }
}
