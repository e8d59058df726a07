package io.coherence.application.events;

import io.coherence.domain.tenant.TenantId;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's fan-out: hands every event to the live subscriptions of its tenant, and to no other
 * tenant's. Events come from this node's commits and, through the bus bridge, from other replicas.
 * A tenant without subscribers here costs nothing. A gap in a tenant's sequence (an event the
 * bridge lost) that outlasts the reorder window is read back from the {@link EventHistory}. Listeners of every tenant (the near score cache)
 * get each event first, on the dispatching thread.
 */
@ApplicationScoped
public class EventDispatcher {

    private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());
    static final long TICK_MILLIS = 5;
    /** Gap repairs read the store; each tenant has at most one at a time. */
    static final int REPAIR_THREADS = 2;

    private final EventSettings settings;
    private final FanoutCounts metrics;
    private final EventHistory history;
    private final ExecutorService repairs;
    private final Map<TenantId, TenantChannel> channels = new ConcurrentHashMap<>();
    private final Set<TenantChannel> waiting = ConcurrentHashMap.newKeySet();
    private final List<Consumer<CoherenceEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker;

    /** For the CDI client proxy only. */
    protected EventDispatcher() {
        this.settings = null;
        this.metrics = null;
        this.history = null;
        this.repairs = null;
        this.ticker = null;
    }

    /** Without a history: a gap is skipped after the reorder window. */
    public EventDispatcher(EventSettings settings, FanoutCounts metrics) {
        this(settings, metrics, null);
    }

    /** @param history where a gap's events are read back from after the reorder window; null: skip gaps */
    @Inject
    public EventDispatcher(EventSettings settings, FanoutCounts metrics, EventHistory history) {
        this.settings = settings;
        this.metrics = metrics;
        this.history = history;
        this.repairs = history == null ? null : Executors.newFixedThreadPool(REPAIR_THREADS, r -> {
            Thread t = new Thread(r, "coherence-event-repair");
            t.setDaemon(true);
            return t;
        });
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coherence-event-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts delivering the tenant's events of that kind to the sink; close the result to stop. */
    public AutoCloseable subscribe(TenantId tenant, EventKind kind, EventSink sink) {
        while (true) {
            TenantChannel channel = channels.computeIfAbsent(tenant,
                    t -> new TenantChannel(t, settings, metrics, repairs == null ? null : this::repair));
            TenantChannel.Subscriber subscriber;
            synchronized (channel) {
                if (channels.get(tenant) != channel) {
                    continue;
                }
                subscriber = channel.add(kind, sink);
            }
            return () -> {
                synchronized (channel) {
                    if (channel.remove(subscriber)) {
                        channels.remove(tenant, channel);
                        waiting.remove(channel);
                    }
                }
            };
        }
    }

    /**
     * Hands every event of every tenant to the listener, before the subscriptions and on the thread
     * that dispatches it (a publisher's, or the bridge's): it must return at once. Close the result
     * to stop.
     */
    public AutoCloseable listen(Consumer<CoherenceEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void dispatch(List<? extends CoherenceEvent> events) {
        long now = System.nanoTime();
        for (CoherenceEvent event : events) {
            for (Consumer<CoherenceEvent> listener : listeners) {
                try {
                    listener.accept(event);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "an event listener failed on an event of tenant_id=" + event.tenant(), e);
                }
            }
            TenantChannel channel = channels.get(event.tenant());
            if (channel != null) {
                synchronized (channel) {
                    channel.offer(event, now);
                    if (channel.tick(now)) {
                        waiting.add(channel);
                    }
                }
            }
        }
    }

    /**
     * Reads the gap's events from the history on a repair thread, then hands them to the channel
     * (null when the read failed: the channel then skips the gap, as without a history).
     */
    private void repair(TenantChannel channel, long first, long last) {
        Runnable task = () -> {
            List<SignalCommitted> found;
            try {
                found = history.between(channel.tenant(), first - 1, last,
                        (int) Math.min(last - first + 1, TenantSequencer.MAX_HELD));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "events " + first + ".." + last + " of tenant_id=" + channel.tenant()
                        + " did not arrive and cannot be read back; subscribers here miss them: " + e.getMessage());
                found = null;
            }
            long now = System.nanoTime();
            synchronized (channel) {
                channel.repaired(found, now);
                if (channel.tick(now)) {
                    waiting.add(channel);
                }
            }
        };
        try {
            repairs.execute(task);
        } catch (RejectedExecutionException e) {
            channel.repaired(null, System.nanoTime());
        }
    }

    /**
     * Compares every channel here with its tenant's last sequence in the history, and repairs what
     * it has not seen: events lost with no later one to reveal the gap (the bridge was down, and the
     * tenant has been quiet since). Called when the bridge to the other replicas is back; returns at
     * once, the reads run on the repair threads.
     */
    public void checkTails() {
        if (repairs == null) {
            return;
        }
        for (TenantChannel channel : channels.values()) {
            try {
                repairs.execute(() -> {
                    long head;
                    try {
                        head = history.head(channel.tenant());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "cannot read the last sequence of tenant_id=" + channel.tenant()
                                + "; events lost on the bridge reach its subscribers here with its next event: "
                                + e.getMessage());
                        return;
                    }
                    long[] gap = channel.tailGap(head);
                    if (gap != null) {
                        repair(channel, gap[0], gap[1]);
                    }
                });
            } catch (RejectedExecutionException e) {
                return;
            }
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (TenantChannel channel : waiting) {
                // Same lock as dispatch: an event held between this tick and the removal is not forgotten.
                synchronized (channel) {
                    if (!channel.tick(now)) {
                        waiting.remove(channel);
                    }
                }
            }
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again; log and keep ticking.
            LOG.log(Level.SEVERE, "event dispatcher tick failed", e);
        }
    }

    @PreDestroy
    void stop() {
        ticker.shutdownNow();
        if (repairs != null) {
            repairs.shutdownNow();
        }
    }
}
