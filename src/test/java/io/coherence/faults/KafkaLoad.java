package io.coherence.faults;

import io.coherence.testsupport.EmbeddedKafka;
import io.coherence.testsupport.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One producer (acks=all) sending a record of a few new signals at a steady pace, keyed by the
 * tenant and carrying its write token. A signal counts as acknowledged when the broker acknowledged its record; each
 * acknowledged record's partition and offset are kept for the offset checks.
 */
final class KafkaLoad {

    /** An acknowledged record: where it is, and how many signals it carries. */
    record Acked(int partition, long offset, int signals, long at) {
    }

    private final KafkaProducer<byte[], byte[]> producer;
    private final Signals signals;
    private final String tenant;
    private final byte[] authorization;
    private final Ledger ledger;
    private final Timeline timeline;
    private final int batch;
    private final long intervalNanos;
    private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
    private Thread thread;
    private volatile boolean stop;

    KafkaLoad(String bootstrap, String tenant, String token, Ledger ledger, Timeline timeline, int batch, double recordsPerSecond) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.signals = new Signals(tenant, "kafka", "k", tenant.hashCode());
        this.tenant = tenant;
        this.authorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.ledger = ledger;
        this.timeline = timeline;
        this.batch = batch;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / recordsPerSecond);
    }

    void start() {
        thread = new Thread(this::run, "fault-kafka-producer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops sending and waits for the broker's answers to what was sent. */
    void stop() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        producer.flush();
        producer.close(Duration.ofSeconds(30));
    }

    List<Acked> acked() {
        return List.copyOf(acked);
    }

    /** Signals in records acknowledged at or before this System.nanoTime(). */
    long signalsAckedBy(long at) {
        return acked.stream().filter(a -> a.at() - at <= 0).mapToLong(Acked::signals).sum();
    }

    private void run() {
        long next = System.nanoTime();
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        while (!stop) {
            LockSupport.parkNanos(next - System.nanoTime());
            next = Math.max(next + intervalNanos, System.nanoTime());
            Signals.Batch b = signals.next(batch);
            ledger.attempted(b.signals());
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(EmbeddedKafka.TOPIC, key,
                    b.json().getBytes(StandardCharsets.UTF_8));
            record.headers().add(KafkaTestClient.AUTHORIZATION, authorization);
            producer.send(record, (metadata, failure) -> {
                if (failure == null) {
                    acked.add(new Acked(metadata.partition(), metadata.offset(), b.signals().size(), System.nanoTime()));
                    ledger.settle(b.signals(), Ledger.Fate.ACKNOWLEDGED);
                    timeline.record(Timeline.Kind.KAFKA, Timeline.Outcome.OK, null);
                } else {
                    ledger.settle(b.signals(), Ledger.Fate.GAVE_UP);
                    timeline.record(Timeline.Kind.KAFKA, Timeline.Outcome.ERROR, failure.getClass().getSimpleName());
                }
            });
        }
    }
}
