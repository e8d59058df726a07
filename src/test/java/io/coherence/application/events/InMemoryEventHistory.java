package io.coherence.application.events;

import io.coherence.domain.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** The event history as a map, for unit tests; can be made to fail, and counts its reads. */
public final class InMemoryEventHistory implements EventHistory {

    private final Map<TenantId, TreeMap<Long, SignalCommitted>> events = new ConcurrentHashMap<>();
    private final Map<TenantId, Long> heads = new ConcurrentHashMap<>();
    public final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    public final AtomicInteger reads = new AtomicInteger();
    /** While set, range reads wait for it (a replay caught in the middle). */
    public final AtomicReference<CountDownLatch> gate = new AtomicReference<>();

    /** Stores the events as committed (the head moves to the highest). */
    public synchronized InMemoryEventHistory add(SignalCommitted... committed) {
        for (SignalCommitted e : committed) {
            events.computeIfAbsent(e.tenant(), t -> new TreeMap<>()).put(e.sequence(), e);
            heads.merge(e.tenant(), e.sequence(), Math::max);
        }
        return this;
    }

    /** Removes a stored event (erased or pruned); the head stays. */
    public synchronized void remove(TenantId tenant, long sequence) {
        events.get(tenant).remove(sequence);
    }

    @Override
    public synchronized long head(TenantId tenant) {
        fail();
        return heads.getOrDefault(tenant, 0L);
    }

    @Override
    public List<SignalCommitted> between(TenantId tenant, long after, long upTo, int limit) {
        CountDownLatch latch = gate.get();
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return read(tenant, after, upTo, limit);
    }

    private synchronized List<SignalCommitted> read(TenantId tenant, long after, long upTo, int limit) {
        fail();
        List<SignalCommitted> out = new ArrayList<>();
        TreeMap<Long, SignalCommitted> stored = events.getOrDefault(tenant, new TreeMap<>());
        for (SignalCommitted e : stored.subMap(after, false, upTo, true).values()) {
            if (out.size() == limit) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    private void fail() {
        reads.incrementAndGet();
        RuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }
}
