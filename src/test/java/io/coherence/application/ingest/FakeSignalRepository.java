package io.coherence.application.ingest;

import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An in-memory signal store that records every transaction it is asked for. Tests can hold
 * transactions until released, or make any transaction holding a given signal fail.
 */
final class FakeSignalRepository implements SignalRepository {

    private final List<List<Signal>> calls = new CopyOnWriteArrayList<>();
    private final List<List<Signal>> committed = new CopyOnWriteArrayList<>();
    private final Map<SignalIdentity, String> stored = new HashMap<>();
    private final Map<TenantId, Long> versions = new HashMap<>();
    private final Semaphore entered = new Semaphore(0);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private volatile Predicate<Signal> poison = s -> false;
    private volatile Supplier<RuntimeException> failure = () -> new IllegalStateException("the store refused the transaction");

    /** Signals stored so far. */
    synchronized int count() {
        return stored.size();
    }

    /** From now on every transaction waits inside {@link #saveAll} until {@link #release()}. */
    void hold() {
        entered.drainPermits();
        gate = new CountDownLatch(1);
    }

    void release() {
        gate.countDown();
    }

    /** Waits until a transaction started since {@link #hold()} (each call consumes one start). */
    boolean awaitTransactionStarted(Duration timeout) throws InterruptedException {
        return entered.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Every transaction holding a matching signal fails, as a constraint or storage error would. */
    void failWhenSaving(Predicate<Signal> signal) {
        poison = signal;
    }

    void failWhenSaving(Predicate<Signal> signal, Supplier<RuntimeException> error) {
        failure = error;
        poison = signal;
    }

    /** Every transaction asked for, in order, including failed ones. */
    List<List<Signal>> calls() {
        return List.copyOf(calls);
    }

    /** The transactions that committed, in order. */
    List<List<Signal>> committed() {
        return List.copyOf(committed);
    }

    synchronized boolean isStored(SignalIdentity identity) {
        return stored.containsKey(identity);
    }

    @Override
    public List<WriteOutcome> saveAll(List<Signal> signals) {
        calls.add(List.copyOf(signals));
        entered.release();
        try {
            if (!gate.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a test held the fake store and never released it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (signals.stream().anyMatch(poison)) {
            throw failure.get();
        }
        synchronized (this) {
            List<WriteOutcome> outcomes = new ArrayList<>(signals.size());
            for (Signal s : signals) {
                String original = stored.putIfAbsent(s.identity(), s.provenance().provenanceId());
                outcomes.add(original == null
                        ? WriteOutcome.accepted(s.provenance().provenanceId(), versions.merge(s.tenant(), 1L, Long::sum))
                        : WriteOutcome.duplicate(original));
            }
            committed.add(List.copyOf(signals));
            return outcomes;
        }
    }

    @Override
    public WindowTotals windowTotals(TenantId tenant, Instant from) {
        throw new UnsupportedOperationException("ingest never reads window totals");
    }
}
