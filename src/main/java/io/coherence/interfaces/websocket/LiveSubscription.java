package io.coherence.interfaces.websocket;

import io.coherence.application.ErrorCode;
import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSink;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.subscriptions.ScoreThreshold;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.tenant.TenantId;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running subscription: renders each event for its plan and queues it on its connection.
 * Called by the dispatcher, which must never wait: a full queue drops the event (counted), and
 * the subscriber learns how many it missed in an {@code errors} entry of its next message.
 */
final class LiveSubscription implements EventSink {

    static final String DROPPED = ErrorCode.EVENTS_DROPPED.name();
    private static final Logger LOG = Logger.getLogger(LiveSubscription.class.getName());

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

    void start(EventDispatcher dispatcher, Planned.Subscription plan) {
        registration = dispatcher.subscribe(TenantId.of(plan.tenantId()), plan.kind(), this);
    }

    void stop() {
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
