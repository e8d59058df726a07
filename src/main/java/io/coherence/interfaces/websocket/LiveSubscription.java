package io.coherence.interfaces.websocket;

import io.coherence.application.ErrorCode;
import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventSink;
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

    LiveSubscription(String id, EventRenderer renderer, Connection connection) {
        this.id = id;
        this.prefix = "{\"id\":" + ProtocolCodec.quote(id) + ",\"type\":\"next\",\"payload\":";
        this.renderer = renderer;
        this.connection = connection;
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
