package io.coherence.interfaces.messaging;

import io.coherence.application.CoherenceException;
import io.coherence.application.ingest.StreamIngest;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads {@code coherence.signals.v1} through Liberty's Kafka connector and ingests each record
 * through {@link StreamIngest}: the same validation, policy, identity and group-committed writes
 * as HTTP. At least once: a record is acknowledged (so its offset may be committed) only after
 * the Neo4j transaction holding its signals committed, or, for a refused record, after the
 * dead-letter topic has it. While the store is unavailable the same batch is retried with backoff
 * and nothing is acknowledged; the connector stops polling at its unacked limit, and this buffer
 * stops taking records at its byte limit, so memory stays bounded. Redelivered records carry the
 * same signal identities and are stored once.
 */
@ApplicationScoped
public class KafkaSignalConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaSignalConsumer.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final StreamIngest ingest;
    private final DeadLetterTopic deadLetters;
    private final KafkaSettings settings;
    private final KafkaIngestStatus status;

    /** The application's context (bean validation needs it) on the pump thread. */
    @Resource
    ManagedThreadFactory threads;

    private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    private final AtomicLong bufferedBytes = new AtomicLong();
    private CompletableFuture<Void> roomWaiter;
    private volatile boolean running = true;
    private Thread pump;

    /** For the CDI client proxy only. */
    protected KafkaSignalConsumer() {
        this(null, null, null, null);
    }

    @Inject
    public KafkaSignalConsumer(StreamIngest ingest, DeadLetterTopic deadLetters, KafkaSettings settings,
                               KafkaIngestStatus status) {
        this.ingest = ingest;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.status = status;
    }

    private record Delivery(ConsumerRecord<byte[], byte[]> record, Message<?> message) {

        long bytes() {
            return (record.value() == null ? 0 : record.value().length) + (record.key() == null ? 0 : record.key().length);
        }
    }

    /**
     * Takes one record into the buffer. The connector hands over the next record when the returned
     * stage completes: at once while the buffer has room, later when it is full.
     */
    @Incoming(KafkaSettings.CHANNEL)
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> receive(Message<byte[]> message) {
        startPump();
        Delivery delivery = new Delivery(message.unwrap(ConsumerRecord.class), message);
        long buffered = bufferedBytes.addAndGet(delivery.bytes());
        queue.add(delivery);
        if (buffered < settings.bufferBytes()) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (this) {
            if (bufferedBytes.get() < settings.bufferBytes()) {
                return CompletableFuture.completedFuture(null);
            }
            roomWaiter = new CompletableFuture<>();
            return roomWaiter;
        }
    }

    private synchronized void startPump() {
        if (pump == null && running) {
            pump = threads.newThread(this::run);
            pump.setName("coherence-kafka-ingest");
            pump.start();
            status.consuming(true);
        }
    }

    private void run() {
        while (running) {
            try {
                Delivery first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, settings.batchRecords() - 1);
                process(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "the Kafka ingest loop failed; its records are not acknowledged and will be redelivered", e);
            }
        }
    }

    /** Ingests the batch (retrying while the store is unavailable), dead-letters refusals, acknowledges all. */
    private void process(List<Delivery> batch) throws InterruptedException {
        List<StreamIngest.StreamRecord> records = new ArrayList<>(batch.size());
        for (Delivery d : batch) {
            ConsumerRecord<byte[], byte[]> r = d.record();
            records.add(new StreamIngest.StreamRecord(r.key(), r.value(), r.topic() + "/" + r.partition() + "@" + r.offset(),
                    Instant.ofEpochMilli(r.timestamp())));
        }
        List<StreamIngest.Outcome> outcomes = null;
        Duration backoff = FIRST_BACKOFF;
        while (outcomes == null) {
            try {
                outcomes = ingest.ingest("kafka", "kafka:" + settings.topic(), records);
                status.writing(true);
            } catch (RuntimeException e) {
                // The store (or the policy engine) is unavailable: nothing was acknowledged, try again.
                status.writing(false);
                if (e instanceof CoherenceException ce) {
                    LOG.warning(() -> "Kafka ingest of " + batch.size() + " records failed (" + ce.code()
                            + "); retrying, nothing acknowledged");
                } else {
                    LOG.log(Level.WARNING, "Kafka ingest of " + batch.size() + " records failed; retrying, nothing acknowledged", e);
                }
                if (!running) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), settings.retryBackoffMax());
            }
        }
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) instanceof StreamIngest.Refused refused) {
                deadLetter(batch.get(i).record(), refused);
            }
        }
        for (Delivery d : batch) {
            d.message().ack();
            release(d.bytes());
        }
    }

    /** A refused record is acknowledged only once the dead-letter topic has it: until then, retry. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, StreamIngest.Refused refused) throws InterruptedException {
        String where = record.topic() + "/" + record.partition() + "@" + record.offset();
        LOG.info(() -> "dead-lettering " + where + ": " + refused.code() + " " + refused.reason());
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                deadLetters.send(record, refused).get();
                deadLetters.counted(refused);
                return;
            } catch (ExecutionException | RuntimeException e) {
                LOG.warning(() -> "the dead-letter topic did not take " + where + " (" + e + "); retrying");
                if (!running) {
                    throw new InterruptedException("stopping");
                }
                TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), settings.retryBackoffMax());
            }
        }
    }

    private void release(long bytes) {
        long left = bufferedBytes.addAndGet(-bytes);
        synchronized (this) {
            if (roomWaiter != null && left < settings.bufferBytes()) {
                roomWaiter.complete(null);
                roomWaiter = null;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @PreDestroy
    void stop() {
        running = false;
        Thread t;
        synchronized (this) {
            t = pump;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        status.consuming(false);
    }
}
