package io.coherence.interfaces.websocket;

import static io.coherence.interfaces.websocket.SubscriptionApiIT.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.TestServerIT;
import io.coherence.testsupport.TokenMinter;
import io.coherence.testsupport.StackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every close code graphql-transport-ws defines, and the limits, against the real server. */
@TestServerIT
class SubscriptionProtocolIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final String tenant = "it-wsp-" + UUID.randomUUID();

    @Test
    void anotherSubprotocolIsRefusedWith4406() {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), "graphql-ws")) {
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4406);
            assertThat(close.reason()).contains("graphql-transport-ws");
        }
    }

    @Test
    void noSubprotocolAtAllIsRefusedWith4406() {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions())) {
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(4406);
        }
    }

    static Stream<Arguments> invalidMessages() {
        return Stream.of(
                Arguments.of("not JSON", "{\"type\": \"connection_init\""),
                Arguments.of("a JSON array", "[1, 2]"),
                Arguments.of("no type", "{\"id\": \"1\"}"),
                Arguments.of("a numeric type", "{\"type\": 7}"),
                Arguments.of("an unknown type", "{\"type\": \"hello\"}"),
                Arguments.of("a server-only type", "{\"type\": \"connection_ack\"}"),
                Arguments.of("a payload that is not an object", "{\"type\": \"connection_init\", \"payload\": \"x\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMessages")
    void anInvalidMessageClosesWith4400(String what, String message) {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            client.send(message);
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4400);
            assertThat(close.reason()).startsWith("Invalid message received");
        }
    }

    static Stream<Arguments> invalidSubscribes() {
        return Stream.of(
                Arguments.of("no id", "{\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription{__typename}\"}}"),
                Arguments.of("an empty id", "{\"id\":\"\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{__typename}\"}}"),
                Arguments.of("no payload", "{\"id\":\"1\",\"type\":\"subscribe\"}"),
                Arguments.of("no query", "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{}}"),
                Arguments.of("variables not an object",
                        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{__typename}\",\"variables\":[1]}}"),
                Arguments.of("a complete without id", "{\"type\":\"complete\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSubscribes")
    void aMalformedSubscribeAfterTheAckClosesWith4400(String what, String message) {
        try (GraphQLWsClient client = GraphQLWsClient.ready(api.subscriptions(), api.token(tenant, CoherenceClient.READ_WRITE))) {
            client.send(message);
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(4400);
        }
    }

    @Test
    void subscribingBeforeTheAckClosesWith4401() {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            client.subscribe("1", "subscribe-signals.graphql", Map.of("t", tenant));
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4401);
            assertThat(close.reason()).isEqualTo("Unauthorized");
        }
    }

    static Stream<Arguments> badTokens() {
        CoherenceClient api = CoherenceClient.forTestServer();
        TokenMinter minter = api.minter();
        List<String> scopes = CoherenceClient.READ_WRITE;
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("signed by an unknown key", TokenMinter.withThrowawayKey(StackSettings.ISSUER,
                StackSettings.AUDIENCE).mint("t", scopes, Duration.ofMinutes(5)), "not valid"));
        cases.add(Arguments.of("expired beyond the clock skew", minter.mint("t", scopes, Duration.ofMinutes(5),
                c -> c.expirationTime(java.util.Date.from(java.time.Instant.now().minusSeconds(300)))), "xpired"));
        cases.add(Arguments.of("from another issuer", minter.mint("t", scopes, Duration.ofMinutes(5),
                c -> c.issuer("someone-else")), "iss"));
        cases.add(Arguments.of("for another audience", minter.mint("t", scopes, Duration.ofMinutes(5),
                c -> c.audience("other-service")), "aud"));
        cases.add(Arguments.of("not a JWT", "not-a-token", "not a JWT"));
        cases.add(Arguments.of("unsigned (alg none)", unsigned(), "not"));
        return cases.stream();
    }

    private static String unsigned() {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        long now = java.time.Instant.now().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
        String claims = b64.encodeToString(("{\"iss\":\"" + StackSettings.ISSUER + "\",\"aud\":\"" + StackSettings.AUDIENCE
                + "\",\"sub\":\"x\",\"tenant\":\"t\",\"scope\":\"coherence:read\",\"iat\":" + now + ",\"exp\":"
                + (now + 300) + "}").getBytes());
        return header + "." + claims + ".";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void aBadTokenClosesWith4403(String what, String token, String reasonPart) {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            client.init(token);
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4403);
            assertThat(close.reason()).startsWith("Forbidden").contains(reasonPart);
        }
    }

    @Test
    void connectionInitWithoutATokenClosesWith4403() {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            client.send("{\"type\":\"connection_init\"}");
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4403);
            assertThat(close.reason()).contains("no token");
        }
    }

    @Test
    void noConnectionInitWithinTheTimeoutClosesWith4408() {
        try (GraphQLWsClient client = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4408);
            assertThat(close.reason()).isEqualTo("Connection initialisation timeout");
        }
    }

    @Test
    void aDuplicateSubscriptionIdClosesWith4409() {
        try (GraphQLWsClient client = GraphQLWsClient.ready(api.subscriptions(), api.token(tenant, CoherenceClient.READ_WRITE))) {
            client.subscribe("same", "subscribe-signals.graphql", Map.of("t", tenant));
            client.subscribe("same", "subscribe-signals.graphql", Map.of("t", tenant));
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4409);
            assertThat(close.reason()).isEqualTo("Subscriber for same already exists");
        }
    }

    @Test
    void aSecondConnectionInitClosesWith4429() {
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        try (GraphQLWsClient client = GraphQLWsClient.ready(api.subscriptions(), token)) {
            client.init(token);
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4429);
            assertThat(close.reason()).isEqualTo("Too many initialisation requests");
        }
    }

    @Test
    void aTenantOverItsConnectionLimitIsToldToTryAgainLater() {
        int limit = Integer.parseInt(LibertyStackListener.SUBSCRIPTION_LIMITS.get("COHERENCE_WS_MAX_CONNECTIONS_PER_TENANT"));
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        List<GraphQLWsClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < limit; i++) {
                open.add(GraphQLWsClient.ready(api.subscriptions(), token));
            }
            try (GraphQLWsClient extra = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
                extra.init(token);
                GraphQLWsClient.Close close = extra.awaitClose(WAIT);
                assertThat(close.code()).isEqualTo(1013);
                assertThat(close.reason()).startsWith("TENANT_CONNECTION_LIMIT");
            }
            open.remove(0).close();
            // Once one closed, a new connection is admitted again.
            io.coherence.testsupport.Eventually.await("a freed slot", WAIT, () -> {
                try (GraphQLWsClient again = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
                    again.init(token);
                    return "connection_ack".equals(again.next(WAIT).getString("type"));
                } catch (AssertionError closedInstead) {
                    return false;
                }
            });
        } finally {
            open.forEach(GraphQLWsClient::close);
        }
    }

    /**
     * A client that stops reading: the socket buffers fill, then the bounded send queue; events are
     * dropped and counted rather than buffered, and after the grace period the server closes the
     * connection with 1013. Ingest is never refused meanwhile.
     */
    @Test
    void aConsumerThatStopsReadingIsCutOffInsteadOfGrowingMemory() {
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        double droppedBefore = metric("subscription_events_dropped_total", "EVENTS_DROPPED");
        double cutOffBefore = metric("subscription_refusals_total", "SLOW_CONSUMER");
        try (GraphQLWsClient slow = GraphQLWsClient.ready(api.subscriptions(), token)) {
            slow.subscribe("bulky", "subscribe-bulky.graphql", Map.of("t", tenant));
            slow.drainUntilPong(WAIT);
            slow.pause();

            String type = "t".repeat(120);
            io.coherence.testsupport.Eventually.await("the server cut the slow consumer off", Duration.ofSeconds(60), () -> {
                StringBuilder batch = new StringBuilder("[");
                for (int i = 0; i < 500; i++) {
                    batch.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenant)
                            .append("\",\"type\":\"").append(type).append("\",\"value\":0.5,\"source\":\"it\",\"signalId\":\"")
                            .append(UUID.randomUUID()).append("\"}");
                }
                assertThat(api.ingest(batch.append("]").toString(), token).statusCode()).isEqualTo(202);
                return metric("subscription_refusals_total", "SLOW_CONSUMER") > cutOffBefore;
            });
            slow.resume();

            GraphQLWsClient.Close close = slow.awaitClose(Duration.ofSeconds(30));
            assertThat(close.code()).isEqualTo(1013);
            assertThat(close.reason()).startsWith("SLOW_CONSUMER");
            assertThat(metric("subscription_events_dropped_total", "EVENTS_DROPPED")).isGreaterThan(droppedBefore);
        }
    }

    /** A counter's value from /metrics, summed over the series whose labels mention {@code label}. */
    private double metric(String name, String label) {
        return api.get("/metrics").body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("\"" + label + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void aMessageOverTheSizeLimitIsRefused() {
        int max = Integer.parseInt(LibertyStackListener.SUBSCRIPTION_LIMITS.get("COHERENCE_WS_MAX_MESSAGE_BYTES"));
        try (GraphQLWsClient client = GraphQLWsClient.ready(api.subscriptions(), api.token(tenant, CoherenceClient.READ_WRITE))) {
            client.send("{\"type\":\"ping\",\"payload\":{\"pad\":\"" + "x".repeat(max + 1) + "\"}}");
            assertThat(client.awaitClose(WAIT).code()).isEqualTo(1009);
        }
    }
}
