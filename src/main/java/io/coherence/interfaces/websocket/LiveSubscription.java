package io.coherence.interfaces.websocket;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.events.EventReplay;
import io.coherence.application.events.SignalCommitted;
import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSink;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.subscriptions.ScoreThreshold;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.tenant.TenantId;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running subscription: renders each event for its plan and queues it on its connection.
 * Called by the dispatcher, which must never wait: a full queue drops the event (counted), and
 * the subscriber learns how many it missed in an {@code errors} entry of its next message. A
 * resumed subscription ({@code after}) first catches up from the history, on a replay thread,
 * holding its live events meanwhile; from then on it sends each sequence once, and none after a
 * hole: a live event that skips one is held while the history fills the hole.
 */
final class LiveSubscription implements EventSink {

    static final String DROPPED = ErrorCode.EVENTS_DROPPED.name();
    private static final Logger LOG = Logger.getLogger(LiveSubscription.class.getName());
    private static final long REPLAY_WAIT_NANOS = 1_000_000;

    private final String id;
    private final String prefix;
    private final EventRenderer renderer;
    private final Connection connection;
    private AutoCloseable registration;
    private long missed;
    private String missedReason;
    private long dropped;
    private ScoreThreshold threshold = ScoreThreshold.EVERY_CHANGE;
    /** The score this subscriber last knew (sent, or read when it subscribed); null: not known. */
    private CoherenceScore known;
    /** A resumed subscription's live events while it catches up (guarded by this); null once live. */
    private ArrayDeque<SignalCommitted> pending;
    private boolean pendingOverflowed;
    private int maxPending;
    /** A resumed subscription's last sequence sent (guarded by this); -1: not resumed, live only. */
    private long lastSequence = -1;
    /** Set before the subscription starts, never changed after. */
    private boolean resuming;
    /** Runs {@link #catchUp} again on a replay thread (set with {@link #resuming}). */
    private Runnable catchUpAgain;
    private volatile boolean stopped;

    LiveSubscription(String id, EventRenderer renderer, Connection connection) {
        this.id = id;
        this.prefix = "{\"id\":" + ProtocolCodec.quote(id) + ",\"type\":\"next\",\"payload\":";
        this.renderer = renderer;
        this.connection = connection;
    }

    /** Sends only the score changes {@code threshold} lets through, judged from {@code current} on. */
    void onlyWhen(ScoreThreshold threshold, CoherenceScore current) {
        this.threshold = threshold;
        this.known = current;
    }

    /**
     * Resumes after {@code after}: live events are held (at most {@code maxPending}) until
     * {@link #catchUp} sent what the history has, and are sent after it, each sequence once. A live
     * event that skips a sequence later is held again and {@code catchUpAgain} runs, which must
     * start {@link #catchUp} on a replay thread without waiting.
     */
    synchronized void resumeAfter(long after, int maxPending, Runnable catchUpAgain) {
        this.resuming = true;
        this.catchUpAgain = catchUpAgain;
        this.lastSequence = after;
        this.pending = new ArrayDeque<>();
        this.maxPending = maxPending;
    }

    /**
     * Sends the events after the resume point, from the history then from the live events held
     * meanwhile, and goes live. Runs on a replay thread; waits for room in the send queue instead of
     * dropping. False when the subscription ended meanwhile.
     *
     * @throws CoherenceException the replay was refused (outside the window), or the live stream
     *                            outran it ({@code SLOW_CONSUMER})
     */
    boolean catchUp(EventReplay replay, TenantId tenant) {
        long head = replay.check(tenant, lastSent());
        if (!fill(replay, tenant, head)) {
            return false;
        }
        while (true) {
            List<SignalCommitted> batch;
            synchronized (this) {
                if (pendingOverflowed) {
                    throw new CoherenceException(ErrorCode.SLOW_CONSUMER, "the tenant's live events outran the replay ("
                            + maxPending + " held); subscribe again with after: " + lastSequence);
                }
                if (pending.isEmpty()) {
                    pending = null;
                    return true;
                }
                batch = List.copyOf(pending);
                pending.clear();
            }
            for (SignalCommitted e : batch) {
                if (e.sequence() <= lastSent()) {
                    continue;
                }
                // The held live events need not follow the history's head: one the bridge lost
                // before this replica's channel saw its first event is in no gap the channel knows.
                if (!fill(replay, tenant, e.sequence() - 1) || !replay(e)) {
                    return false;
                }
            }
        }
    }

    /** Sends the history's events after the last one sent, up to {@code upTo}; false once the subscription ended. */
    private boolean fill(EventReplay replay, TenantId tenant, long upTo) {
        List<SignalCommitted> page;
        while (lastSent() < upTo && !(page = replay.page(tenant, lastSent(), upTo)).isEmpty()) {
            for (SignalCommitted e : page) {
                if (!replay(e)) {
                    return false;
                }
            }
        }
        return true;
    }

    private synchronized long lastSent() {
        return lastSequence;
    }

    /** Queues one caught-up event, waiting while the send queue is full; false once the subscription ended. */
    private boolean replay(SignalCommitted e) {
        String text = prefix + renderer.payload(e) + "}";
        Outbox outbox = connection.outbox();
        while (!outbox.replayed(text)) {
            if (stopped) {
                return false;
            }
            LockSupport.parkNanos(REPLAY_WAIT_NANOS);
        }
        synchronized (this) {
            lastSequence = e.sequence();
        }
        return !stopped;
    }

    void start(EventDispatcher dispatcher, Planned.Subscription plan) {
        registration = dispatcher.subscribe(TenantId.of(plan.tenantId()), plan.kind(), this);
    }

    void stop() {
        stopped = true;
        try {
            if (registration != null) {
                registration.close();
            }
        } catch (Exception e) {
            LOG.log(Level.WARNING, "ending subscription " + id + " failed", e);
        }
    }

    /** Runs under the tenant channel's lock, one event at a time. */
    @Override
    public void accept(CoherenceEvent event) {
        if (resuming && event instanceof SignalCommitted signal && !resumed(signal)) {
            return;
        }
        if (threshold.filters() && event instanceof ScoreChanged changed) {
            CoherenceScore before = known;
            known = changed.score();
            if (!threshold.passes(before, changed.score())) {
                return;
            }
        }
        Outbox outbox = connection.outbox();
        long now = System.nanoTime();
        if (missed > 0 && outbox.halfEmpty()) {
            notice(outbox);
        }
        if (outbox.event(prefix + renderer.payload(event) + "}", event.committedAt().toEpochMilli(), now)) {
            return;
        }
        connection.dropped(DROPPED);
        dropped++;
        missed(1, DROPPED);
        if (outbox.overflowing(now)) {
            connection.slowConsumer("send queue full for over " + connection.slowConsumerGraceMillis() + " ms, "
                    + dropped + " events dropped");
        }
    }

    /** A resumed subscription's live event: held while catching up, dropped if already sent; true: send it now. */
    private synchronized boolean resumed(SignalCommitted signal) {
        if (pending != null) {
            if (pending.size() < maxPending) {
                pending.add(signal);
            } else {
                pendingOverflowed = true;
            }
            return false;
        }
        if (signal.sequence() <= lastSequence) {
            return false;
        }
        if (signal.sequence() > lastSequence + 1) {
            // A hole the channel did not see as a gap: it opened before the channel's first event
            // (the bridge lost that one while this replica had no channel for the tenant). The
            // history has it: hold this event and catch up again.
            pending = new ArrayDeque<>();
            pending.add(signal);
            try {
                catchUpAgain.run();
                return false;
            } catch (RejectedExecutionException e) {
                // Shutting down: the subscription ends anyway.
                pending = null;
            }
        }
        lastSequence = signal.sequence();
        return true;
    }

    @Override
    public void missed(long count, String reason) {
        missed += count;
        missedReason = reason;
    }

    private void notice(Outbox outbox) {
        String message = DROPPED.equals(missedReason)
                ? missed + " events were dropped because this connection read them too slowly"
                : missed + " events were not sent because the tenant's event rate limit was exceeded";
        String json = "{\"errors\":[{\"message\":" + ProtocolCodec.quote(message) + ",\"extensions\":{\"code\":"
                + ProtocolCodec.quote(missedReason) + ",\"missed\":" + missed + "}}]}";
        if (outbox.control(prefix + json + "}")) {
            missed = 0;
        }
    }
}
