package io.coherence.infrastructure.redis;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.EventBus;
import io.coherence.application.events.EventDispatcher;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.redisson.Redisson;
import org.redisson.api.RTopic;
import org.redisson.api.RedissonClient;
import org.redisson.api.listener.BaseStatusListener;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * The event bus: this node's dispatcher first, then a Redis pub/sub topic that every replica
 * listens on. Each message names its sending node, and a node ignores its own messages, so the
 * node that committed delivers each event once. Publishing never waits for Redis; what the bridge
 * loses is read back from the graph by the dispatcher (a gap, or the tail after a reconnect). Without
 * {@code REDIS_URL} the bus is local (a single-node install).
 */
@ApplicationScoped
public class RedisEventBus implements EventBus {

    private static final Logger LOG = Logger.getLogger(RedisEventBus.class.getName());
    private static final long RETRY_SECONDS = 5;

    private final String redisUrl;
    private final String channel;
    private final EventDispatcher dispatcher;
    private final String node = UUID.randomUUID().toString();
    private final AtomicBoolean subscribedBefore = new AtomicBoolean();
    /** Publishes failed since the last one that worked. */
    private final AtomicLong failedPublishes = new AtomicLong();
    private volatile RTopic topic;
    private RedissonClient client;
    private ScheduledExecutorService retries;

    /** For the CDI client proxy only. */
    protected RedisEventBus() {
        this("", "", null);
    }

    @Inject
    public RedisEventBus(@ConfigProperty(name = "REDIS_URL", defaultValue = "") String redisUrl,
                         @ConfigProperty(name = "COHERENCE_EVENTS_CHANNEL") String channel,
                         EventDispatcher dispatcher) {
        this.redisUrl = redisUrl;
        this.channel = channel;
        this.dispatcher = dispatcher;
    }

    /** Joins the topic when the application starts, so other replicas' events arrive from then on. */
    void start(@Observes Startup startup) {
        start();
    }

    public synchronized void start() {
        if (redisUrl.isBlank() || topic != null || retries != null) {
            return;
        }
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coherence-event-bridge");
            t.setDaemon(true);
            return t;
        });
        retries.execute(this::connect);
    }

    private void connect() {
        try {
            Config config = new Config();
            config.useSingleServer().setAddress(redisUrl);
            RedissonClient c = Redisson.create(config);
            RTopic t = c.getTopic(channel, StringCodec.INSTANCE);
            // First, so that it is told of the first subscription too (Redisson tells a listener
            // added to a topic already subscribed nothing), then of each one after a reconnect.
            t.addListener(new BaseStatusListener() {
                @Override
                public void onSubscribe(String ch) {
                    subscribed();
                }
            });
            t.addListener(String.class, (ch, message) -> receive(message));
            synchronized (this) {
                client = c;
                topic = t;
            }
            LOG.info(() -> "event bridge joined Redis topic " + channel + " as node " + node);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event bridge cannot reach Redis; other replicas' events are not received."
                    + " Retrying in " + RETRY_SECONDS + " s: " + e.getMessage());
            retries.schedule(this::connect, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Override
    public void publish(List<? extends CoherenceEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        dispatcher.dispatch(events);
        RTopic t = topic;
        if (t != null) {
            t.publishAsync(EventCodec.encode(node, events)).whenComplete((receivers, failure) -> published(failure));
        }
    }

    /**
     * Logs the first failed publish of an outage and the first success after it, not each event in
     * between (hundreds a second while Redis is away): the other replicas read what they missed
     * back from the graph.
     */
    private void published(Throwable failure) {
        if (failure == null) {
            long failed = failedPublishes.getAndSet(0);
            if (failed > 0) {
                LOG.info(() -> "event bridge publishes again, after " + failed + " failed publishes");
            }
        } else if (failedPublishes.getAndIncrement() == 0) {
            LOG.log(Level.WARNING, "event bridge publish failed; other replicas read this replica's events back"
                    + " from the graph until it publishes again (logged once until then): " + failure.getMessage());
        }
    }

    /** Whether the bridge to other replicas is up (false for a local bus). */
    public boolean bridged() {
        return topic != null;
    }

    /**
     * Redisson subscribes again by itself after a lost connection; whatever the other replicas
     * published meanwhile is lost on the bridge. The dispatcher then reads back, from the graph,
     * what its subscribers' tenants committed since their last event here.
     */
    private void subscribed() {
        if (subscribedBefore.getAndSet(true)) {
            LOG.info("event bridge subscribed to " + channel + " again; reading back what was published meanwhile");
        }
        dispatcher.checkTails();
    }

    private void receive(String message) {
        try {
            EventCodec.Message decoded = EventCodec.decode(message);
            if (!node.equals(decoded.node())) {
                dispatcher.dispatch(decoded.events());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "event bridge ignored a message it cannot read: " + e.getMessage());
        }
    }

    @PreDestroy
    public synchronized void stop() {
        if (retries != null) {
            retries.shutdownNow();
        }
        topic = null;
        if (client != null) {
            client.shutdown();
            client = null;
        }
    }
}
