package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Groups the writes of concurrent requests into shared transactions (group commit). A caller
 * blocks until the transaction holding its signals committed, so an acknowledgement always means
 * durable; throughput comes from many callers sharing one commit. When a shared transaction
 * fails, each request in it is retried alone, so one request cannot fail its neighbours. After each
 * commit, and before answering, the writer tells the commit listener (which publishes events).
 * Each transaction has a {@code group commit} span: a child of the first request's span, linked to
 * the others', so every request's trace reaches the Neo4j write that made it durable.
 * A caller waits at most the timeout: a request no writer has taken yet is then withdrawn and never
 * written (STORE_UNAVAILABLE, nothing written); one already in a transaction may still commit
 * (OUTCOME_UNKNOWN, whose future tells the real outcome later).
 */
public class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommitWriter.class.getName());

    private final SignalRepository repository;
    private final WriterSettings settings;
    private final CommitListener listener;
    private final Tracer tracer;
    private final BlockingQueue<PendingWrite> queue;
    private final ExecutorService writers;
    private volatile boolean running = true;

    public GroupCommitWriter(SignalRepository repository, WriterSettings settings) {
        this(repository, settings, CommitListener.NONE);
    }

    public GroupCommitWriter(SignalRepository repository, WriterSettings settings, CommitListener listener) {
        this(repository, settings, listener, OpenTelemetry.noop().getTracer("coherence"));
    }

    public GroupCommitWriter(SignalRepository repository, WriterSettings settings, CommitListener listener,
                             Tracer tracer) {
        this.repository = repository;
        this.settings = settings;
        this.listener = listener;
        this.tracer = tracer;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        AtomicInteger n = new AtomicInteger();
        this.writers = Executors.newFixedThreadPool(settings.writers(), r -> {
            Thread t = new Thread(r, "coherence-signal-writer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.writers(); i++) {
            writers.execute(this::run);
        }
    }

    /** Writes the signals and returns once they are committed, with one outcome per signal. */
    public List<WriteOutcome> write(List<Signal> signals) {
        if (!running) {
            throw unavailable(null);
        }
        PendingWrite pending = new PendingWrite(List.copyOf(signals), Context.current());
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try {
            if (!queue.offer(pending, settings.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw unavailable(null);
            }
            pending.result().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            giveUp(pending, e);
        } catch (TimeoutException e) {
            giveUp(pending, e);
        } catch (ExecutionException e) {
            // The failure is answered below.
        }
        return answer(pending.result());
    }

    /**
     * The caller stops waiting. A request no writer has taken is withdrawn, so "nothing written"
     * stays true; one a writer took may still commit, and the caller must not be told otherwise.
     * Returns only when the answer came meanwhile.
     */
    private void giveUp(PendingWrite pending, Exception cause) {
        if (pending.withdraw()) {
            queue.remove(pending);
            throw unavailable(cause);
        }
        if (!pending.result().isDone()) {
            throw new OutcomeUnknownException(pending.result().copy(), cause);
        }
    }

    private static List<WriteOutcome> answer(CompletableFuture<List<WriteOutcome>> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof CoherenceException ce) {
                throw ce;
            }
            throw unavailable(e.getCause());
        }
    }

    private static CoherenceException unavailable(Throwable cause) {
        return new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                "the signal store did not confirm the write in time; nothing was written, retry with the same signals",
                List.of(), cause);
    }

    private void run() {
        PendingWrite carried = null;
        while (running) {
            try {
                PendingWrite first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                List<PendingWrite> group = new ArrayList<>();
                group.add(first);
                carried = fill(group, first.signals().size());
                // From here on a request is written: its caller can no longer withdraw it.
                group.removeIf(p -> !p.take());
                if (!group.isEmpty()) {
                    flush(group);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "signal writer loop failed", e);
            }
        }
        if (carried != null) {
            carried.result().completeExceptionally(unavailable(null));
        }
    }

    /**
     * Adds requests that arrive within the linger time while the group has room. Returns the
     * request that was taken but did not fit: it opens this writer's next group.
     */
    private PendingWrite fill(List<PendingWrite> group, int size) throws InterruptedException {
        long deadline = System.nanoTime() + settings.linger().toNanos();
        while (size < settings.maxSignals()) {
            long wait = deadline - System.nanoTime();
            PendingWrite next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                return null;
            }
            if (size + next.signals().size() > settings.maxSignals()) {
                return next;
            }
            group.add(next);
            size += next.signals().size();
        }
        return null;
    }

    private void flush(List<PendingWrite> group) {
        List<Signal> all = new ArrayList<>();
        group.forEach(p -> all.addAll(p.signals()));
        SpanBuilder builder = tracer.spanBuilder("group commit").setParent(group.get(0).context())
                .setAttribute("coherence.requests", group.size()).setAttribute("coherence.signals", all.size());
        group.subList(1, group.size()).forEach(p -> builder.addLink(Span.fromContext(p.context()).getSpanContext()));
        Span span = builder.startSpan();
        try (Scope ignored = span.makeCurrent()) {
            List<WriteOutcome> outcomes = repository.saveAll(all);
            notifyCommitted(all, outcomes);
            int offset = 0;
            for (PendingWrite p : group) {
                p.result().complete(outcomes.subList(offset, offset + p.signals().size()));
                offset += p.signals().size();
            }
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            if (group.size() == 1) {
                LOG.log(Level.WARNING, "signal write failed", e);
                group.get(0).result().completeExceptionally(e);
            } else {
                group.forEach(p -> flush(List.of(p)));
            }
        } finally {
            span.end();
        }
    }

    /** The write is durable whatever the listener does; a failing listener costs events, not data. */
    private void notifyCommitted(List<Signal> signals, List<WriteOutcome> outcomes) {
        try {
            listener.committed(signals, outcomes);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "publishing committed signals failed; subscribers miss them", e);
        }
    }

    @Override
    public void close() {
        running = false;
        writers.shutdown();
        try {
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        PendingWrite left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(unavailable(null));
        }
    }

    /**
     * A request's signals, its answer, and its trace context (the group commit span's parent or
     * link). Either a writer takes it for a transaction or its caller withdraws it, never both.
     */
    private static final class PendingWrite {

        private final List<Signal> signals;
        private final CompletableFuture<List<WriteOutcome>> result = new CompletableFuture<>();
        private final Context context;
        private final AtomicBoolean decided = new AtomicBoolean();

        PendingWrite(List<Signal> signals, Context context) {
            this.signals = signals;
            this.context = context;
        }

        List<Signal> signals() {
            return signals;
        }

        CompletableFuture<List<WriteOutcome>> result() {
            return result;
        }

        Context context() {
            return context;
        }

        boolean take() {
            return decided.compareAndSet(false, true);
        }

        boolean withdraw() {
            return decided.compareAndSet(false, true);
        }
    }
}
