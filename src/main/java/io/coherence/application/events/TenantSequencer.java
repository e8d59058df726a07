package io.coherence.application.events;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Puts one tenant's signal events back into commit order. Events can arrive out of order when
 * several writers or replicas commit the same tenant; an event whose predecessor has not arrived
 * waits at most the reorder window. Then, when the channel can repair (it has an
 * {@link EventHistory}), the missing events are read back from the store ({@link #gapToRepair},
 * {@link #repaired}): the bridge lost them, or lost the replica that was to publish them. Without
 * a repair, or when the store does not have them any more, the held events go out anyway and the
 * missing ones count as gaps. An event older than what was already sent is late: it still goes
 * out, since losing it would be worse than reordering it, unless a repair already sent it (then
 * it is the bridge's copy, and dropped). Not thread-safe; the dispatcher holds the tenant's lock.
 */
final class TenantSequencer {

    static final int MAX_HELD = 10_000;

    private final long windowNanos;
    private final TreeMap<Long, SignalCommitted> held = new TreeMap<>();
    private final TreeMap<Long, Long> arrivals = new TreeMap<>();
    /** Sequences sent by a repair, whose bridge copy may still come. */
    private final TreeSet<Long> repairedSequences = new TreeSet<>();
    private long next;
    private long waitingSince;
    private boolean repairing;
    private long gaps;
    private long late;
    private long repairedEvents;
    private long duplicates;

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
            if (repairedSequences.remove(seq)) {
                duplicates++;
                return List.of();
            }
            late++;
            return List.of(event);
        }
        if (held.isEmpty()) {
            waitingSince = nowNanos;
        }
        if (held.putIfAbsent(seq, event) != null) {
            duplicates++;
            return List.of();
        }
        arrivals.put(seq, nowNanos);
        return held.size() > MAX_HELD ? releaseAll() : List.of();
    }

    /** Returns the held events once the oldest wait reached the window (the channel cannot repair). */
    List<SignalCommitted> expire(long nowNanos) {
        if (held.isEmpty() || nowNanos - waitingSince < windowNanos) {
            return List.of();
        }
        return releaseAll();
    }

    /**
     * When the oldest wait reached the window and no repair is running: the missing sequences,
     * {@code [first, last]}, which a repair should read from the store; null otherwise.
     */
    long[] gapToRepair(long nowNanos) {
        if (held.isEmpty() || repairing || nowNanos - waitingSince < windowNanos) {
            return null;
        }
        repairing = true;
        return new long[] {next, held.firstKey() - 1};
    }

    /**
     * A repair read {@code found} from the store (null: it could not read). Sends what is now
     * contiguous; when the repair made no progress, sends everything held and counts the gaps.
     */
    List<SignalCommitted> repaired(List<SignalCommitted> found, long nowNanos) {
        repairing = false;
        if (held.isEmpty() && (found == null || found.isEmpty())) {
            return List.of();
        }
        long before = next;
        // A tail repair ({@link #tailGap}) has nothing held: everything found from next on belongs.
        long gapEnd = held.isEmpty() ? Long.MAX_VALUE : held.firstKey();
        for (SignalCommitted e : found == null ? List.<SignalCommitted>of() : found) {
            long seq = e.sequence();
            if (seq >= next && seq < gapEnd && held.putIfAbsent(seq, e) == null) {
                arrivals.put(seq, nowNanos);
                rememberRepaired(seq);
                repairedEvents++;
            }
        }
        List<SignalCommitted> out = new ArrayList<>();
        drainContiguous(out, nowNanos);
        if (held.isEmpty()) {
            return out;
        }
        if (next == before) {
            out.addAll(releaseAll());
        } else if (!held.isEmpty()) {
            // Progress, and still a gap (the read was a page): repair again at the next tick.
            waitingSince = nowNanos - windowNanos;
        }
        return out;
    }

    /**
     * The tenant's last sequence is {@code head}: when nothing is held, nothing is being repaired
     * and this sequencer has already sent something, the sequences {@code [next, head]} it has not
     * seen, which a repair should read (their events were lost with no later one to show it);
     * null otherwise.
     */
    long[] tailGap(long head) {
        if (next == 0 || head < next || repairing || !held.isEmpty()) {
            return null;
        }
        repairing = true;
        return new long[] {next, head};
    }

    private void rememberRepaired(long seq) {
        repairedSequences.add(seq);
        if (repairedSequences.size() > MAX_HELD) {
            repairedSequences.pollFirst();
        }
    }

    boolean waiting() {
        return !held.isEmpty();
    }

    /** Sequence numbers skipped because they did not arrive within the window and no repair found them. */
    long gaps() {
        return gaps;
    }

    /** Events that arrived after a later one had already been sent. */
    long late() {
        return late;
    }

    /** Events sent because a repair read them from the store. */
    long repairedEvents() {
        return repairedEvents;
    }

    /** Copies of events already sent (the bridge's copy of a repaired event), dropped. */
    long duplicates() {
        return duplicates;
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
