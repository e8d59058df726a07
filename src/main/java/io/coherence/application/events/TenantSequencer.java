package io.coherence.application.events;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Puts one tenant's signal events back into commit order. Events can arrive out of order when
 * several writers or replicas commit the same tenant; an event whose predecessor has not arrived
 * waits at most the reorder window, then goes out anyway (the predecessor may never come: its
 * replica died before publishing). An event older than what was already sent is late: it still
 * goes out, since losing it would be worse than reordering it. Not thread-safe; the dispatcher
 * holds the tenant's lock.
 */
final class TenantSequencer {

    static final int MAX_HELD = 10_000;

    private final long windowNanos;
    private final TreeMap<Long, SignalCommitted> held = new TreeMap<>();
    private final TreeMap<Long, Long> arrivals = new TreeMap<>();
    private long next;
    private long waitingSince;
    private long gaps;
    private long late;

    TenantSequencer(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Takes an event and returns what may be sent now, in order. */
    List<SignalCommitted> offer(SignalCommitted event, long nowNanos) {
        long seq = event.sequence();
        if (next == 0 || seq == next) {
            List<SignalCommitted> out = new ArrayList<>();
            out.add(event);
            next = seq + 1;
            drainContiguous(out, nowNanos);
            return out;
        }
        if (seq < next) {
            late++;
            return List.of(event);
        }
        if (held.isEmpty()) {
            waitingSince = nowNanos;
        }
        held.put(seq, event);
        arrivals.put(seq, nowNanos);
        return held.size() > MAX_HELD ? releaseAll() : List.of();
    }

    /** Returns the held events once the oldest wait reached the window. */
    List<SignalCommitted> expire(long nowNanos) {
        if (held.isEmpty() || nowNanos - waitingSince < windowNanos) {
            return List.of();
        }
        return releaseAll();
    }

    boolean waiting() {
        return !held.isEmpty();
    }

    /** Sequence numbers skipped because they did not arrive within the window. */
    long gaps() {
        return gaps;
    }

    /** Events that arrived after a later one had already been sent. */
    long late() {
        return late;
    }

    private List<SignalCommitted> releaseAll() {
        gaps += held.firstKey() - next;
        next = held.firstKey();
        List<SignalCommitted> out = new ArrayList<>();
        drainContiguous(out, 0);
        if (!held.isEmpty()) {
            // Several gaps: send everything held, in order, and count each gap.
            for (SignalCommitted e : held.values()) {
                gaps += e.sequence() - next;
                out.add(e);
                next = e.sequence() + 1;
            }
            held.clear();
        }
        arrivals.clear();
        return out;
    }

    private void drainContiguous(List<SignalCommitted> out, long nowNanos) {
        SignalCommitted e;
        while ((e = held.remove(next)) != null) {
            arrivals.remove(next);
            out.add(e);
            next++;
        }
        if (!held.isEmpty()) {
            // Each held event waits at most the window from its own arrival.
            waitingSince = arrivals.values().stream().mapToLong(Long::longValue).min().orElse(nowNanos);
        }
    }
}
