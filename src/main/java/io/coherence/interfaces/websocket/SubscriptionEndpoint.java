package io.coherence.interfaces.websocket;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * GraphQL subscriptions at {@code /graphql/ws}, sub-protocol {@code graphql-transport-ws} only
 * (anything else is closed with 4406). One instance per socket; the protocol lives in
 * {@link Connection}.
 */
@ServerEndpoint(value = "/graphql/ws", configurator = SubprotocolConfigurator.class)
public class SubscriptionEndpoint {

    private static final Logger LOG = Logger.getLogger(SubscriptionEndpoint.class.getName());
    static final int SUBPROTOCOL_NOT_ACCEPTABLE = 4406;

    private final SubscriptionServices services;

    private Connection connection;

    /**
     * Liberty injects endpoints without CDI once a custom configurator is set (and fails on
     * {@code @Inject}), so the endpoint looks its services up.
     */
    public SubscriptionEndpoint() {
        this.services = CDI.current().select(SubscriptionServices.class).get();
    }

    @OnOpen
    public void open(Session session) {
        SessionTransport transport = new SessionTransport(session);
        if (!SubprotocolConfigurator.PROTOCOL.equals(session.getNegotiatedSubprotocol())) {
            transport.close(SUBPROTOCOL_NOT_ACCEPTABLE, "Subprotocol not acceptable: use "
                    + SubprotocolConfigurator.PROTOCOL);
            return;
        }
        // The connection refuses messages over the limit (1009); the container need not buffer more.
        session.setMaxTextMessageBufferSize(services.limits().maxMessageBytes() + 1);
        session.setMaxIdleTimeout(0);
        connection = services.connect(transport);
        connection.opened();
    }

    @OnMessage
    public void text(String message) {
        if (connection != null) {
            connection.receive(message);
        }
    }

    @OnMessage
    public void binary(ByteBuffer message, Session session) {
        if (connection != null) {
            connection.close(Connection.INVALID_MESSAGE, "Invalid message received: binary frames are not used");
        }
    }

    @OnClose
    public void close(Session session, CloseReason reason) {
        if (connection != null) {
            connection.closed();
        }
    }

    @OnError
    public void error(Session session, Throwable failure) {
        LOG.log(Level.FINE, "subscription socket error", failure);
        if (connection != null) {
            connection.closed();
        }
    }

    /**
     * The socket as the connection sees it. A send writes on the sender thread and returns when the
     * frame is written: Liberty's asynchronous sends (handler or future) cost about three times as
     * much per frame. A client that stops reading blocks its sender thread; after the send timeout
     * the watchdog lends a thread in its place (within the tenant's share) and closes the connection.
     */
    private static final class SessionTransport implements Transport {

        private final Session session;

        SessionTransport(Session session) {
            this.session = session;
        }

        @Override
        public void send(String text, Runnable sent, Consumer<Throwable> failed) {
            try {
                session.getBasicRemote().sendText(text);
            } catch (IOException | RuntimeException e) {
                failed.accept(e);
                return;
            }
            sent.run();
        }

        @Override
        public void close(int code, String reason) {
            try {
                session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), truncate(reason)));
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "closing a subscription socket failed", e);
            }
        }

        /** Close reasons are limited to 123 bytes of UTF-8. */
        static String truncate(String reason) {
            byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
            if (bytes.length <= 123) {
                return reason;
            }
            String cut = new String(bytes, 0, 123, StandardCharsets.UTF_8);
            // Drop a character split by the cut.
            return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
        }
    }
}
