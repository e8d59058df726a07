package io.coherence.interfaces.websocket;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.security.TokenVerifier;
import io.coherence.application.subscriptions.SubscriptionAdmission;
import io.coherence.domain.tenant.TenantId;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.graphql.GraphQLRequest;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One graphql-transport-ws connection: the protocol's state machine, its subscriptions and its
 * send queue. Close codes are the protocol's: 4400 invalid message, 4401 subscribe before ack,
 * 4403 forbidden (bad or expired token), 4408 no connection_init in time, 4409 duplicate
 * subscription id, 4429 repeated connection_init, 4500 internal error; plus 1009 for a message
 * over the size limit and 1013 (try again later) for a tenant over its connection limit or a
 * client too slow to read its events.
 */
final class Connection {

    static final int INVALID_MESSAGE = 4400;
    static final int UNAUTHORIZED = 4401;
    static final int FORBIDDEN = 4403;
    static final int INIT_TIMEOUT = 4408;
    static final int DUPLICATE_ID = 4409;
    static final int TOO_MANY_INITS = 4429;
    static final int INTERNAL_ERROR = 4500;
    static final int TRY_AGAIN_LATER = 1013;
    static final int MESSAGE_TOO_BIG = 1009;

    private static final Logger LOG = Logger.getLogger(Connection.class.getName());

    private final Transport transport;
    private final SubscriptionServices services;
    private final SubscriptionLimits limits;
    private final Outbox outbox;
    private final Map<String, LiveSubscription> subscriptions = new ConcurrentHashMap<>();
    private boolean initReceived;
    private TokenVerifier.Verified identity;
    private String admittedTenant;
    private boolean closed;
    private final AtomicBoolean slowConsumerClosing = new AtomicBoolean();
    private ScheduledFuture<?> initTimer;
    private ScheduledFuture<?> expiryTimer;

    Connection(Transport transport, SubscriptionServices services) {
        this.transport = transport;
        this.services = services;
        this.limits = services.limits();
        this.outbox = new Outbox(transport, services.senders().unadmitted(), limits.sendQueue(),
                limits.slowConsumerGrace().toNanos(),
                committedAt -> services.metrics().sent(System.currentTimeMillis() - committedAt),
                () -> slowConsumer("a message was not taken within " + limits.sendTimeout().toMillis() + " ms"));
    }

    synchronized void opened() {
        services.registry().opened(this);
        services.metrics().connectionOpened();
        initTimer = services.scheduler().schedule(this::initTimedOut, limits.initTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void receive(String text) {
        try {
            if (text.length() > limits.maxMessageBytes()
                    || text.getBytes(StandardCharsets.UTF_8).length > limits.maxMessageBytes()) {
                close(MESSAGE_TOO_BIG, "Message too big: over " + limits.maxMessageBytes() + " bytes");
                return;
            }
            handle(ProtocolCodec.parse(text));
        } catch (ProtocolCodec.InvalidMessage e) {
            close(INVALID_MESSAGE, "Invalid message received: " + e.getMessage());
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "subscription connection failed, incident " + incident, e);
            close(INTERNAL_ERROR, "Internal server error, incident " + incident);
        }
    }

    private synchronized void handle(JsonObject message) {
        if (closed) {
            return;
        }
        String type = message.getString("type");
        switch (type) {
            case "connection_init" -> init(ProtocolCodec.optionalObject(message, "payload"));
            case "ping" -> outbox.control("{\"type\":\"pong\"}");
            case "pong" -> ProtocolCodec.optionalObject(message, "payload");
            case "subscribe" -> subscribe(message);
            case "complete" -> complete(ProtocolCodec.requiredId(message));
            default -> throw new ProtocolCodec.InvalidMessage("unexpected message type " + type);
        }
    }

    private void init(JsonObject payload) {
        if (initReceived) {
            close(TOO_MANY_INITS, "Too many initialisation requests");
            return;
        }
        initReceived = true;
        initTimer.cancel(false);
        String token = ProtocolCodec.token(payload);
        if (token == null) {
            close(FORBIDDEN, "Forbidden: connection_init carries no token (payload.Authorization: Bearer ...)");
            return;
        }
        SubscriptionAdmission.Connect admitted = services.admission().connect(token, limits.connectionsPerTenant());
        if (admitted instanceof SubscriptionAdmission.Refused refused) {
            SubscriptionAdmission.Refusal why = refused.refusal();
            if (why.code() == ErrorCode.TENANT_CONNECTION_LIMIT) {
                services.metrics().refused(why.code().name());
                close(TRY_AGAIN_LATER, why.code().name() + ": " + why.message());
            } else {
                close(FORBIDDEN, "Forbidden: " + why.message());
            }
            return;
        }
        TokenVerifier.Verified verified = ((SubscriptionAdmission.Connected) admitted).identity();
        String tenant = ((SubscriptionAdmission.Connected) admitted).tenant();
        admittedTenant = tenant;
        identity = verified;
        outbox.sendVia(services.senders().forTenant(tenant));
        long untilExpiry = Duration.between(Instant.now(), verified.expiresAt()).toMillis();
        expiryTimer = services.scheduler().schedule(this::expired, Math.max(0, untilExpiry), TimeUnit.MILLISECONDS);
        outbox.control("{\"type\":\"connection_ack\"}");
    }

    private void subscribe(JsonObject message) {
        if (identity == null) {
            close(UNAUTHORIZED, "Unauthorized");
            return;
        }
        String id = ProtocolCodec.requiredId(message);
        JsonObject payload = ProtocolCodec.optionalObject(message, "payload");
        String query = payload == null ? null : ProtocolCodec.optionalString(payload, "query");
        JsonObject extensions = payload == null ? null : ProtocolCodec.optionalObject(payload, "extensions");
        JsonValue persistedQuery = extensions == null ? null : extensions.get("persistedQuery");
        if (query == null && persistedQuery == null) {
            throw new ProtocolCodec.InvalidMessage("subscribe needs payload.query or payload.extensions.persistedQuery");
        }
        JsonObject variables = ProtocolCodec.optionalObject(payload, "variables");
        String operationName = ProtocolCodec.optionalString(payload, "operationName");
        if (subscriptions.containsKey(id)) {
            close(DUPLICATE_ID, "Subscriber for " + id + " already exists");
            return;
        }
        Optional<SubscriptionAdmission.Refusal> overRate = services.admission().request(identity.caller());
        if (overRate.isPresent()) {
            error(id, ErrorDocuments.graphql(overRate.get().code(), overRate.get().message()));
            return;
        }
        GraphQLRequest graphql = services.requests().read(query, operationName, persistedQuery);
        if (graphql.refusal().isPresent()) {
            error(id, graphql.refusal().get().errors());
            return;
        }
        Planned planned = services.planner().plan(graphql, variables == null ? Map.of() : ProtocolCodec.toMap(variables));
        if (planned instanceof Planned.Rejection r) {
            error(id, r.errors());
        } else if (planned instanceof Planned.ImmediateResult result) {
            outbox.control(ProtocolCodec.next(id, ProtocolCodec.JSONB.toJson(result.result())));
            outbox.control(ProtocolCodec.completeMessage(id));
        } else {
            start(id, (Planned.Subscription) planned);
        }
    }

    private void start(String id, Planned.Subscription plan) {
        Optional<SubscriptionAdmission.Refusal> refused = services.admission().subscribe(identity.caller(), plan.tenantId(),
                subscriptions.size(), limits.subscriptionsPerConnection());
        if (refused.isPresent()) {
            if (refused.get().code() == ErrorCode.SUBSCRIPTION_LIMIT) {
                services.metrics().refused(refused.get().code().name());
            }
            error(id, ErrorDocuments.graphql(refused.get().code(), refused.get().message()));
            return;
        }
        LiveSubscription live = new LiveSubscription(id, services.renderer(plan), this);
        if (plan.threshold().filters()) {
            // Read before the subscription starts, so no change comes before the score it is judged from.
            live.onlyWhen(plan.threshold(), services.currentScore(identity.caller(), plan.tenantId()));
        }
        Runnable catchUp = () -> services.replays().execute(() -> catchUp(id, live, TenantId.of(plan.tenantId())));
        if (plan.after() != null) {
            live.resumeAfter(plan.after(), services.maxPendingWhileResuming(), catchUp);
        }
        subscriptions.put(id, live);
        live.start(services.dispatcher(), plan);
        services.metrics().subscriptionStarted();
        if (plan.after() != null) {
            catchUp.run();
        }
    }

    /** On a replay thread: the resumed subscription's catch-up; a refusal ends it with an {@code error}. */
    private void catchUp(String id, LiveSubscription live, TenantId tenant) {
        try {
            live.catchUp(services.replay(), tenant);
        } catch (CoherenceException e) {
            refuse(id, live, ErrorDocuments.graphql(e.code(), e.getMessage(), e.violations(), List.of()));
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "resuming subscription " + id + " failed, incident " + incident, e);
            refuse(id, live, ErrorDocuments.graphql(ErrorCode.INTERNAL, "resuming failed, incident " + incident));
        }
    }

    private synchronized void refuse(String id, LiveSubscription live, JsonObject error) {
        if (!closed && subscriptions.get(id) == live) {
            complete(id);
            error(id, error);
        }
    }

    private void complete(String id) {
        LiveSubscription live = subscriptions.remove(id);
        if (live != null) {
            live.stop();
            services.metrics().subscriptionEnded();
        }
    }

    /** The token ran out: each subscription ends with an error, then the connection closes (4403). */
    private synchronized void expired() {
        if (closed) {
            return;
        }
        String message = "the token expired at " + identity.expiresAt() + "; reconnect with a fresh token";
        for (String id : List.copyOf(subscriptions.keySet())) {
            complete(id);
            error(id, ErrorDocuments.graphql(ErrorCode.TOKEN_EXPIRED, message));
        }
        shutdown();
        outbox.closeAfterQueued(FORBIDDEN, "Forbidden: token expired");
    }

    private synchronized void initTimedOut() {
        if (!initReceived && !closed) {
            close(INIT_TIMEOUT, "Connection initialisation timeout");
        }
    }

    Outbox outbox() {
        return outbox;
    }

    /** A subscriber of this connection fell behind for too long; closes from the scheduler, never inline. */
    void slowConsumer(String why) {
        if (slowConsumerClosing.getAndSet(true)) {
            return;
        }
        services.metrics().refused(ErrorCode.SLOW_CONSUMER.name());
        services.closer().execute(() -> close(TRY_AGAIN_LATER, "SLOW_CONSUMER: " + why));
    }

    long slowConsumerGraceMillis() {
        return limits.slowConsumerGrace().toMillis();
    }

    void dropped(String reason) {
        services.metrics().dropped(reason, 1);
    }

    /**
     * Closes after the frame in flight, if any, is written: for a client that stopped reading, when
     * it reads again (it then gets the close code) or disconnects.
     */
    synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        shutdown();
        outbox.closeNow(code, reason);
    }

    /** The socket is gone (either side closed it). */
    synchronized void closed() {
        shutdown();
        outbox.discard();
    }

    private void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        if (initTimer != null) {
            initTimer.cancel(false);
        }
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
        }
        List.copyOf(subscriptions.keySet()).forEach(this::complete);
        if (admittedTenant != null) {
            services.admission().disconnect(admittedTenant);
        }
        services.registry().closed(this);
        services.metrics().connectionClosed();
    }

    private void error(String id, JsonObject error) {
        error(id, List.of(error));
    }

    private void error(String id, List<JsonObject> errors) {
        outbox.control(ProtocolCodec.error(id, errors));
    }
}
