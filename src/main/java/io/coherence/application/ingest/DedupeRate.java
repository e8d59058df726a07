package io.coherence.application.ingest;

import java.time.Clock;
import java.time.Duration;

/**
 * The share of ingested signals that were duplicates (re-deliveries, client retries) over a
 * sliding window: {@code ingest_dedupe_rate}, 0 to 1, 0 while nothing was ingested. The window is
 * kept as {@code slots} counters of equal length, so it slides in steps of window / slots.
 */
public final class DedupeRate {

    private final Clock clock;
    private final long slotMillis;
    private final long[] accepted;
    private final long[] duplicates;
    private final long[] slotOf;

    public DedupeRate(Clock clock, Duration window, int slots) {
        this.clock = clock;
        this.slotMillis = Math.max(1, window.toMillis() / slots);
        this.accepted = new long[slots];
        this.duplicates = new long[slots];
        this.slotOf = new long[slots];
    }

    public synchronized void add(long acceptedCount, long duplicateCount) {
        int i = current();
        accepted[i] += acceptedCount;
        duplicates[i] += duplicateCount;
    }

    public synchronized double rate() {
        current();
        long now = clock.millis() / slotMillis;
        long all = 0;
        long dup = 0;
        for (int i = 0; i < slotOf.length; i++) {
            if (now - slotOf[i] < slotOf.length) {
                all += accepted[i] + duplicates[i];
                dup += duplicates[i];
            }
        }
        return all == 0 ? 0.0 : (double) dup / all;
    }

    /** The slot for now, cleared when it last served an older period. */
    private int current() {
        long slot = clock.millis() / slotMillis;
        int i = (int) (slot % slotOf.length);
        if (slotOf[i] != slot) {
            slotOf[i] = slot;
            accepted[i] = 0;
            duplicates[i] = 0;
        }
        return i;
    }
}
