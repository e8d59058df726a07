package io.coherence.interfaces.websocket;

import io.coherence.application.subscriptions.SubscriptionAdmission;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventReplay;
import io.coherence.application.events.ReplaySettings;
import io.coherence.application.events.FanoutMetrics;
import io.coherence.application.query.ScoreQueryService;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.interfaces.graphql.ApiSchema;
import io.coherence.interfaces.graphql.GraphQLRequests;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** What every subscription connection shares: the application services, the limits, a scheduler. */
@ApplicationScoped
public class SubscriptionServices {

    private static final Logger LOG = Logger.getLogger(SubscriptionServices.class.getName());

    /** Sender threads lent in place of ones blocked on clients that do not read, all tenants together. */
    static final int MAX_LENT_SENDERS = 256;

    /** Distinct plans kept for shared rendering before the cache starts over. */
    static final int MAX_RENDERERS = 10_000;

    @Inject
    SubscriptionAdmission admission;

    @Inject
    EventDispatcher dispatcher;

    @Inject
    ScoreQueryService scores;

    @Inject
    EventReplay replay;

    @Inject
    ReplaySettings replaySettings;

    @Inject
    FanoutMetrics metrics;

    @Inject
    GraphQLRequests requests;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_INIT_TIMEOUT")
    Duration initTimeout;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION")
    int subscriptionsPerConnection;

    /** Read for each new connection, so an operator's change applies without a restart. */
    @Inject
    @ConfigProperty(name = "COHERENCE_WS_MAX_CONNECTIONS_PER_TENANT")
    Provider<Integer> connectionsPerTenant;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_SEND_QUEUE")
    int sendQueue;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_SLOW_CONSUMER_GRACE")
    Duration slowConsumerGrace;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_SEND_TIMEOUT")
    Duration sendTimeout;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_MAX_MESSAGE_BYTES")
    int maxMessageBytes;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_SENDER_THREADS")
    int senderThreadCount;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_SENDER_THREADS_PER_TENANT")
    int senderThreadsPerTenant;

    @Inject
    @ConfigProperty(name = "COHERENCE_WS_LENT_SENDERS_PER_TENANT")
    int lentSendersPerTenant;

    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Map<Planned.Subscription, EventRenderer> renderers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
        Thread t = new Thread(r, "coherence-subscriptions");
        t.setDaemon(true);
        return t;
    });
    /**
     * The threads that write every connection's frames, so the signal writer that publishes never
     * does socket work; the {@link SenderPool} unless a test sets them.
     */
    volatile SenderThreads senderThreads;
    private volatile SenderLanes senders;
    /** Closing a socket whose client does not read can block until the close frame times out. */
    private final ExecutorService closer = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "coherence-subscription-closer");
        t.setDaemon(true);
        return t;
    });
    private volatile OperationPlanner planner;
    /** Resumed subscriptions catch up here, reading the history and waiting for room in their send queues. */
    private final ExecutorService replays = Executors.newFixedThreadPool(REPLAY_THREADS, r -> {
        Thread t = new Thread(r, "coherence-subscription-replay");
        t.setDaemon(true);
        return t;
    });

    /** Catch-ups that run at once; more wait their turn (each one is a few store reads and a send loop). */
    static final int REPLAY_THREADS = 4;

    /** How often the watchdog looks for writes blocked on clients that stopped reading. */
    static final long WATCHDOG_MILLIS = 250;

    @PostConstruct
    void startWatchdog() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                senders().checkStuck(System.nanoTime(), sendTimeout.toNanos());
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; log and keep watching.
                LOG.log(Level.SEVERE, "subscription watchdog failed", e);
            }
        }, WATCHDOG_MILLIS, WATCHDOG_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** A connection over the transport, with everything it needs. */
    Connection connect(Transport transport) {
        return new Connection(transport, this);
    }

    SubscriptionLimits limits() {
        return new SubscriptionLimits(initTimeout, subscriptionsPerConnection, connectionsPerTenant.get(), sendQueue,
                slowConsumerGrace, sendTimeout, maxMessageBytes);
    }

    SubscriptionAdmission admission() {
        return admission;
    }

    GraphQLRequests requests() {
        return requests;
    }

    OperationPlanner planner() {
        OperationPlanner p = planner;
        if (p == null) {
            p = new OperationPlanner(ApiSchema.get());
            planner = p;
        }
        return p;
    }

    /** One renderer per distinct plan, so subscribers with the same document share renderings. */
    EventRenderer renderer(Planned.Subscription plan) {
        if (renderers.size() > MAX_RENDERERS) {
            renderers.clear();
        }
        return renderers.computeIfAbsent(plan.rendering(), EventRenderer::new);
    }

    /**
     * The tenant's score now, as {@code tenantCoherence} answers it, for a threshold subscription to
     * start from; null when it cannot be read (the first change is then sent).
     */
    CoherenceScore currentScore(Caller caller, String tenantId) {
        try {
            return scores.tenantCoherence(caller, tenantId).score();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "no starting score for a threshold subscription of tenant_id=" + tenantId, e);
            return null;
        }
    }

    EventReplay replay() {
        return replay;
    }

    ExecutorService replays() {
        return replays;
    }

    /** Live events a resumed subscription holds while it catches up, at most: the replay window. */
    int maxPendingWhileResuming() {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, replaySettings.maxEvents()));
    }

    EventDispatcher dispatcher() {
        return dispatcher;
    }

    FanoutMetrics metrics() {
        return metrics;
    }

    ConnectionRegistry registry() {
        return registry;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ExecutorService closer() {
        return closer;
    }

    /** The sender threads, one lane per tenant. */
    SenderLanes senders() {
        SenderLanes lanes = senders;
        if (lanes == null) {
            synchronized (this) {
                if (senders == null) {
                    if (senderThreads == null) {
                        senderThreads = new SenderPool(senderThreadCount, MAX_LENT_SENDERS);
                    }
                    int perTenant = Math.max(1, Math.min(senderThreadsPerTenant, senderThreadCount - 1));
                    if (perTenant != senderThreadsPerTenant) {
                        LOG.warning(() -> "COHERENCE_WS_SENDER_THREADS_PER_TENANT=" + senderThreadsPerTenant
                                + " leaves other tenants no writer of COHERENCE_WS_SENDER_THREADS=" + senderThreadCount
                                + "; using " + perTenant);
                    }
                    senders = new SenderLanes(senderThreads, perTenant, lentSendersPerTenant, metrics::sendersBlocked);
                }
                lanes = senders;
            }
        }
        return lanes;
    }

    /** Tells every client the replica is going away (1001), so graphql-ws clients reconnect elsewhere. */
    @PreDestroy
    void stop() {
        registry.live().forEach(c -> c.close(1001, "server shutting down"));
        scheduler.shutdownNow();
        closer.shutdownNow();
        replays.shutdownNow();
        if (senderThreads instanceof SenderPool pool) {
            pool.shutdown();
        }
    }
}
