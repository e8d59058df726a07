package io.coherence.application.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Subscription metrics: live connections and subscriptions, sender threads blocked on clients that
 * stopped reading, events sent and dropped (by reason), events out of commit order, events a gap
 * repair read back from the store (and their bridge copies dropped), and the
 * commit→send latency histogram {@code subscription_fanout_latency_ms} (buckets in
 * microprofile-config.properties).
 */
@ApplicationScoped
public class FanoutMetrics implements FanoutCounts {

    private final MetricRegistry registry;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong subscriptions = new AtomicLong();
    private final AtomicLong sendersBlocked = new AtomicLong();

    /** For the CDI client proxy only. */
    protected FanoutMetrics() {
        this(null);
    }

    @Inject
    public FanoutMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** At startup, so the series exist (at zero) before the first subscriber, as alerts and dashboards expect. */
    void register(@Observes Startup startup) {
        registry.gauge("subscription_connections", connections, AtomicLong::get);
        registry.gauge("subscription_active", subscriptions, AtomicLong::get);
        registry.gauge("subscription_senders_blocked", sendersBlocked, AtomicLong::get);
        registry.histogram("subscription_fanout_latency_ms");
        registry.counter("subscription_events_sent");
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    public void subscriptionStarted() {
        subscriptions.incrementAndGet();
    }

    public void subscriptionEnded() {
        subscriptions.decrementAndGet();
    }

    /** Sender threads found blocked on a client that stopped reading (+1), or whose write returned (-1). */
    public void sendersBlocked(long delta) {
        sendersBlocked.addAndGet(delta);
    }

    /** One event reached a client's socket, {@code latencyMillis} after its commit. */
    public void sent(long latencyMillis) {
        registry.counter("subscription_events_sent").inc();
        registry.histogram("subscription_fanout_latency_ms").update(Math.max(0, latencyMillis));
    }

    /** A connection was refused or closed by a limit, named by its error code. */
    public void refused(String code) {
        registry.counter("subscription_refusals", new Tag("code", code)).inc();
    }

    @Override
    public void dropped(String reason, long count) {
        if (count > 0) {
            registry.counter("subscription_events_dropped", new Tag("reason", reason)).inc(count);
        }
    }

    @Override
    public void outOfOrder(long gaps, long late) {
        if (gaps > 0) {
            registry.counter("subscription_sequence_gaps").inc(gaps);
        }
        if (late > 0) {
            registry.counter("subscription_events_late").inc(late);
        }
    }

    @Override
    public void repaired(long events, long duplicates) {
        if (events > 0) {
            registry.counter("subscription_events_repaired").inc(events);
        }
        if (duplicates > 0) {
            registry.counter("subscription_events_duplicates_dropped").inc(duplicates);
        }
    }
}
