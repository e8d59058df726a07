package io.coherence.application.events;

import io.coherence.application.ErrorCode;
import io.coherence.domain.tenant.TenantId;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One tenant's subscribers on this node: puts signal events into commit order (repairing gaps
 * from the store when it has a {@link Repairer}), drops a score
 * older than the last one sent, meters the tenant's event rate and, when coalescing is on, holds
 * events for the window. Sinks are called under the channel's lock, so each sees the same order.
 */
final class TenantChannel {

    static final String RATE_LIMITED = ErrorCode.EVENTS_RATE_LIMITED.name();

    /** Reads a gap's events from the store, off the dispatcher's threads, and hands them to {@link #repaired}. */
    interface Repairer {
        void repair(TenantChannel channel, long first, long last);
    }

    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final TenantId tenant;
    private final Repairer repairer;
    private final TenantSequencer sequencer;
    private final Bucket bucket;
    private final long coalesceNanos;
    private final FanoutCounts counts;
    private final List<CoherenceEvent> coalesced = new ArrayList<>();
    private long coalescingSince;
    private ScoreChanged lastScore;

    TenantChannel(EventSettings settings, FanoutCounts counts) {
        this(null, settings, counts, null);
    }

    /** @param repairer null: a gap is skipped after the reorder window, not repaired */
    TenantChannel(TenantId tenant, EventSettings settings, FanoutCounts counts, Repairer repairer) {
        this.tenant = tenant;
        this.repairer = repairer;
        this.sequencer = new TenantSequencer(settings.reorderWindow().toNanos());
        this.bucket = Bucket.builder().addLimit(Bandwidth.builder()
                .capacity(settings.tenantEventsBurst())
                .refillGreedy(settings.tenantEventsPerSecond(), Duration.ofSeconds(1))
                .build()).build();
        this.coalesceNanos = settings.coalesceWindow().toNanos();
        this.counts = counts;
    }

    Subscriber add(EventKind kind, EventSink sink) {
        Subscriber s = new Subscriber(kind, sink);
        subscribers.add(s);
        return s;
    }

    /** Removes the subscriber; true when none is left. */
    synchronized boolean remove(Subscriber s) {
        subscribers.remove(s);
        return subscribers.isEmpty();
    }

    TenantId tenant() {
        return tenant;
    }

    synchronized void offer(CoherenceEvent event, long nowNanos) {
        if (event instanceof SignalCommitted signal) {
            Tally before = tally();
            // Holding too many events releases them at once, skipping gaps: count those too.
            release(sequencer.offer(signal, nowNanos), nowNanos);
            count(before);
        } else if (event instanceof ScoreChanged score) {
            if (lastScore == null || !score.score().updatedAt().isBefore(lastScore.score().updatedAt())) {
                lastScore = score;
                release(List.of(score), nowNanos);
            }
        }
    }

    /** Sends what waited long enough, or starts repairing its gap; true while something still waits. */
    synchronized boolean tick(long nowNanos) {
        Tally before = tally();
        if (repairer == null) {
            release(sequencer.expire(nowNanos), nowNanos);
        } else {
            long[] gap = sequencer.gapToRepair(nowNanos);
            if (gap != null) {
                repairer.repair(this, gap[0], gap[1]);
            }
        }
        count(before);
        if (!coalesced.isEmpty() && nowNanos - coalescingSince >= coalesceNanos) {
            List<CoherenceEvent> batch = List.copyOf(coalesced);
            coalesced.clear();
            batch.forEach(this::deliver);
        }
        return sequencer.waiting() || !coalesced.isEmpty();
    }

    /** The repair of a gap read {@code found} from the store (null: it could not). */
    synchronized void repaired(List<SignalCommitted> found, long nowNanos) {
        Tally before = tally();
        release(sequencer.repaired(found, nowNanos), nowNanos);
        count(before);
    }

    /** The sequences up to the tenant's {@code head} this channel has not seen, to repair; null when none. */
    synchronized long[] tailGap(long head) {
        return repairer == null ? null : sequencer.tailGap(head);
    }

    private Tally tally() {
        return new Tally(sequencer.gaps(), sequencer.late(), sequencer.repairedEvents(), sequencer.duplicates());
    }

    private void count(Tally before) {
        Tally now = tally();
        if (now.gaps() != before.gaps() || now.late() != before.late()) {
            counts.outOfOrder(now.gaps() - before.gaps(), now.late() - before.late());
        }
        if (now.repaired() != before.repaired() || now.duplicates() != before.duplicates()) {
            counts.repaired(now.repaired() - before.repaired(), now.duplicates() - before.duplicates());
        }
    }

    private record Tally(long gaps, long late, long repaired, long duplicates) {
    }

    private void release(List<? extends CoherenceEvent> events, long nowNanos) {
        for (CoherenceEvent e : events) {
            if (!bucket.tryConsume(1)) {
                counts.dropped(RATE_LIMITED, subscribers.stream().filter(s -> s.kind().matches(e)).count());
                subscribers.forEach(s -> s.missed(e, RATE_LIMITED));
            } else if (coalesceNanos > 0) {
                if (coalesced.isEmpty()) {
                    coalescingSince = nowNanos;
                }
                coalesced.add(e);
            } else {
                deliver(e);
            }
        }
    }

    private void deliver(CoherenceEvent e) {
        for (Subscriber s : subscribers) {
            if (s.kind().matches(e)) {
                s.sink().accept(e);
            }
        }
    }

    record Subscriber(EventKind kind, EventSink sink) {
        void missed(CoherenceEvent e, String reason) {
            if (kind.matches(e)) {
                sink.missed(1, reason);
            }
        }
    }
}
