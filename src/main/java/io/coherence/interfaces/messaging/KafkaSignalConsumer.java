package io.coherence.interfaces.messaging;

import io.coherence.application.CoherenceException;
import io.coherence.application.ingest.StreamIngest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads {@code coherence.signals.v1} through Liberty's Kafka connector and ingests each record
 * through {@link StreamIngest}: the same validation, policy, identity and group-committed writes
 * as HTTP, and the same per-tenant signal rate: a record over it waits (admission pauses; nothing
 * is refused or acknowledged meanwhile). At least once: a record is acknowledged (so its offset
 * may be committed) only after the Neo4j transaction holding its signals committed, or, for a
 * refused record, after the dead-letter topic has it. While the store is unavailable the same batch is retried with backoff
 * and nothing is acknowledged; the connector stops polling at its unacked limit, and this buffer
 * stops taking records at its byte limit, so memory stays bounded. Redelivered records carry the
 * same signal identities and are stored once. Two threads: one admits a batch (validation,
 * policy, identity) while the other writes the batch before it, in order.
 */
@ApplicationScoped
public class KafkaSignalConsumer {

    private static final Logger LOG = Logger.getLogger(KafkaSignalConsumer.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final StreamIngest ingest;
    private final DeadLetterTopic deadLetters;
    private final KafkaSettings settings;
    private final KafkaIngestStatus status;

    /** One CONSUMER span per written batch, linked to the producers' spans the records carry. */
    @Inject
    Tracer tracer;

    /** The application's context (bean validation needs it) on the pump thread. */
    @Resource
    ManagedThreadFactory threads;

    private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
    /** Admitted batches waiting for the committer: one, so admission runs one batch ahead. */
    private final ArrayBlockingQueue<Staged> admittedBatches = new ArrayBlockingQueue<>(1);
    private final AtomicLong bufferedBytes = new AtomicLong();
    private CompletableFuture<Void> roomWaiter;
    private volatile boolean running = true;
    private Thread pump;
    private Thread committer;

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

    private record Staged(List<Delivery> batch, StreamIngest.Admission admission) {
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
            pump = threads.newThread(this::admitLoop);
            pump.setName("coherence-kafka-admit");
            pump.start();
            committer = threads.newThread(this::commitLoop);
            committer.setName("coherence-kafka-commit");
            committer.start();
            status.consuming(true);
        }
    }

    /** Takes batches off the buffer and admits them (validation, policy, identity) one batch ahead of the writes. */
    private void admitLoop() {
        while (running) {
            try {
                Delivery first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Delivery> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, settings.batchRecords() - 1);
                while (!batch.isEmpty()) {
                    StreamIngest.Admission admission = admit(batch);
                    int taken = admission.records();
                    if (taken > 0) {
                        admittedBatches.put(new Staged(List.copyOf(batch.subList(0, taken)), admission));
                    }
                    batch = batch.subList(taken, batch.size());
                    if (!batch.isEmpty()) {
                        // A tenant's signal rate is spent: slow down rather than refuse, nothing is acknowledged meanwhile.
                        Duration wait = admission.throttledFor();
                        LOG.fine(() -> "Kafka ingest waits " + wait + " for a tenant's signal rate; " + taken + " records taken");
                        sleep(wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private StreamIngest.Admission admit(List<Delivery> batch) throws InterruptedException {
        List<StreamIngest.StreamRecord> records = new ArrayList<>(batch.size());
        for (Delivery d : batch) {
            records.add(KafkaRecords.stream(d.record(), KafkaRecords.position(d.record())));
        }
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                return ingest.admit("kafka", "kafka:" + settings.topic(), records);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "admitting " + batch.size() + " Kafka records failed; retrying, nothing acknowledged", e);
                backoff = pause(backoff);
            }
        }
    }

    /** Writes admitted batches in order (retrying while the store is unavailable), dead-letters refusals, acknowledges. */
    private void commitLoop() {
        while (running) {
            try {
                Staged staged = admittedBatches.poll(200, TimeUnit.MILLISECONDS);
                if (staged != null) {
                    commit(staged);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "the Kafka ingest loop failed; its records are not acknowledged and will be redelivered", e);
            }
        }
    }

    private void commit(Staged staged) throws InterruptedException {
        Span span = batchSpan(staged.batch());
        try (Scope ignored = span.makeCurrent()) {
            commitTraced(staged);
        } finally {
            span.end();
        }
    }

    private Span batchSpan(List<Delivery> batch) {
        SpanBuilder builder = tracer.spanBuilder(settings.topic() + " process").setSpanKind(SpanKind.CONSUMER)
                .setNoParent().setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", settings.topic())
                .setAttribute("messaging.batch.message_count", batch.size());
        for (Delivery d : batch) {
            SpanContext producer = Span.fromContext(W3CTraceContextPropagator.getInstance()
                    .extract(Context.root(), d.record().headers(), HEADERS)).getSpanContext();
            if (producer.isValid()) {
                builder.addLink(producer);
            }
        }
        return builder.startSpan();
    }

    /** Reads W3C trace context from Kafka record headers. */
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private void commitTraced(Staged staged) throws InterruptedException {
        List<Delivery> batch = staged.batch();
        List<StreamIngest.Outcome> outcomes = null;
        Duration backoff = FIRST_BACKOFF;
        while (outcomes == null) {
            try {
                outcomes = ingest.commit(staged.admission());
                status.writing(true);
            } catch (RuntimeException e) {
                // The store is unavailable: nothing was acknowledged, try again.
                status.writing(false);
                if (e instanceof CoherenceException ce) {
                    LOG.warning(() -> "Kafka ingest of " + batch.size() + " records failed (" + ce.code()
                            + "); retrying, nothing acknowledged");
                } else {
                    LOG.log(Level.WARNING, "Kafka ingest of " + batch.size() + " records failed; retrying, nothing acknowledged", e);
                }
                backoff = pause(backoff);
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

    /** Sleeps for the backoff (unless stopping) and answers the next one. */
    private Duration pause(Duration backoff) throws InterruptedException {
        sleep(backoff);
        return min(backoff.multipliedBy(2), settings.retryBackoffMax());
    }

    private void sleep(Duration pause) throws InterruptedException {
        if (!running) {
            throw new InterruptedException("stopping");
        }
        TimeUnit.MILLISECONDS.sleep(pause.toMillis());
    }

    /** A refused record is acknowledged only once the dead-letter topic has it: until then, retry. */
    private void deadLetter(ConsumerRecord<byte[], byte[]> record, StreamIngest.Refused refused) throws InterruptedException {
        String where = KafkaRecords.position(record);
        LOG.info(() -> "dead-lettering " + where + ": " + refused.code() + " " + refused.reason());
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            try {
                deadLetters.send(record, refused).get();
                deadLetters.counted(refused);
                return;
            } catch (ExecutionException | RuntimeException e) {
                LOG.warning(() -> "the dead-letter topic did not take " + where + " (" + e + "); retrying");
                backoff = pause(backoff);
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
        List<Thread> loops = new ArrayList<>();
        synchronized (this) {
            if (pump != null) {
                loops.add(pump);
                loops.add(committer);
            }
        }
        for (Thread t : loops) {
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
