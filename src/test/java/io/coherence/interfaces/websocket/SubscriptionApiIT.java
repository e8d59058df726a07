package io.coherence.interfaces.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** coherenceEvents and coherenceScoreChanged over graphql-transport-ws, against the real server. */
@TestServerIT
class SubscriptionApiIT {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;
    private GraphQLWsClient ws;

    @BeforeEach
    void connect() {
        tenant = "it-ws-" + UUID.randomUUID();
        token = api.token(tenant, CoherenceClient.READ_WRITE);
        ws = GraphQLWsClient.ready(api.subscriptions(), token);
    }

    @AfterEach
    void disconnect() {
        ws.close();
    }

    @Test
    void committedSignalsArriveOnceEachInCommitOrderWithOnlyTheSelectedFields() {
        ws.subscribe("s1", "subscribe-signals.graphql", Map.of("t", tenant));
        assertThat(ws.drainUntilPong(WAIT)).as("nothing before the first commit").isEmpty();

        ingest(tenant, 0.1, 0.2, 0.3);
        ingest(tenant, 0.4);

        List<JsonObject> events = nextEvents(4);
        assertThat(events).extracting(e -> e.getString("id")).containsOnly("s1");
        assertThat(events).extracting(e -> signal(e, "coherenceEvents").keySet())
                .allSatisfy(keys -> assertThat(keys).containsExactly("id", "value", "sequence", "committedAt"));
        assertThat(events).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("value").doubleValue())
                .containsExactly(0.1, 0.2, 0.3, 0.4);
        assertThat(events).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("sequence").longValue())
                .containsExactly(1L, 2L, 3L, 4L);
        Instant committed = Instant.parse(signal(events.get(0), "coherenceEvents").getString("committedAt"));
        assertThat(committed).isBetween(Instant.now().minusSeconds(30), Instant.now());
        assertThat(ws.drainUntilPong(WAIT)).as("nothing twice").isEmpty();
    }

    @Test
    void aliasesFragmentsAndIncludeShapeEachEvent() {
        ws.subscribe("with", "subscribe-signals-shaped.graphql", Map.of("t", tenant, "withTs", true));
        ws.subscribe("without", "subscribe-signals-shaped.graphql", Map.of("t", tenant, "withTs", false));
        ws.drainUntilPong(WAIT);

        ingest(tenant, 0.5);

        List<JsonObject> events = nextEvents(2);
        JsonObject with = events.stream().filter(e -> e.getString("id").equals("with")).findFirst().orElseThrow();
        JsonObject without = events.stream().filter(e -> e.getString("id").equals("without")).findFirst().orElseThrow();
        assertThat(signal(with, "events").keySet()).containsExactly("signal", "source", "weight", "ts", "__typename");
        assertThat(signal(without, "events").keySet()).containsExactly("signal", "source", "weight", "__typename");
        assertThat(signal(with, "events").getString("signal")).isNotBlank();
        assertThat(signal(with, "events").getString("source")).isEqualTo("it");
        assertThat(signal(with, "events").getString("__typename")).isEqualTo("Signal");
    }

    @Test
    void anotherTenantsSignalsNeverArrive() {
        String other = "it-ws-other-" + UUID.randomUUID();
        ws.subscribe("mine", "subscribe-signals.graphql", Map.of("t", tenant));
        ws.drainUntilPong(WAIT);

        ingest(other, 0.9);
        ingest(tenant, 0.2);

        List<JsonObject> events = ws.drainUntilPong(WAIT);
        assertThat(events).hasSize(1);
        assertThat(signal(events.get(0), "coherenceEvents").getJsonNumber("value").doubleValue()).isEqualTo(0.2);
    }

    @Test
    void aCompletedSubscriptionReceivesNothingMore() {
        ws.subscribe("s1", "subscribe-signals.graphql", Map.of("t", tenant));
        ws.drainUntilPong(WAIT);
        ingest(tenant, 0.3);
        assertThat(ws.drainUntilPong(WAIT)).hasSize(1);

        ws.complete("s1");
        ingest(tenant, 0.4);

        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void theMaterializedScoreStreamsLive() {
        ws.subscribe("score", "subscribe-scores.graphql", Map.of("t", tenant));
        ws.drainUntilPong(WAIT);

        ingest(tenant, 0.8, 0.6);

        JsonObject event = ws.await(m -> "next".equals(m.getString("type")), WAIT);
        JsonObject score = signal(event, "coherenceScoreChanged");
        assertThat(score.getString("tenantId")).isEqualTo(tenant);
        assertThat(score.getJsonNumber("score").doubleValue()).isEqualTo(0.7);
        assertThat(score.getString("status")).isEqualTo("WARN");
    }

    @Test
    void thresholdSubscribersAreToldOnlyOfCrossingsOrStatusChanges() throws InterruptedException {
        ws.subscribe("all", "subscribe-scores.graphql", Map.of("t", tenant));
        ws.subscribe("cross", "subscribe-scores-threshold.graphql", Map.of("tenantId", tenant, "crossing", 0.5));
        ws.subscribe("status", "subscribe-scores-threshold.graphql", Map.of("tenantId", tenant, "statusChange", true));
        ws.drainUntilPong(WAIT);

        // From no score (UNKNOWN, 0): 0.9 HEALTHY, 0.7 WARN, 0.67 WARN, 0.33 CRITICAL, one materialized score at a time.
        double[][] steps = {{0.9}, {0.5}, {0.6}, {0.0, 0.0, 0.0}};
        double[] scores = {0.9, 0.7, 0.67, 0.33};
        for (int i = 0; i < steps.length; i++) {
            ingest(tenant, steps[i]);
            double expected = scores[i];
            JsonObject read = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                    a -> a.getJsonObject("data").getJsonObject("tenantCoherence").getJsonNumber("score").doubleValue() == expected,
                    WAIT);
            assertThat(read.getJsonObject("data").getJsonObject("tenantCoherence").getJsonNumber("score").doubleValue())
                    .isEqualTo(expected);
        }
        // The last score reaches the socket just after the read sees it: collect until the unfiltered stream has it.
        Map<String, List<Double>> received = new java.util.HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!received.getOrDefault("all", List.of()).contains(0.33) && System.nanoTime() < deadline) {
            for (JsonObject m : ws.drainUntilPong(WAIT)) {
                if ("next".equals(m.getString("type"))) {
                    received.computeIfAbsent(m.getString("id"), k -> new java.util.ArrayList<>())
                            .add(signal(m, "coherenceScoreChanged").getJsonNumber("score").doubleValue());
                }
            }
        }

        assertThat(received.get("all")).as("every stored score (a recompute may repeat one)").containsSubsequence(0.9, 0.7, 0.67, 0.33);
        assertThat(received.get("cross")).as("across 0.5 up, then down").containsExactly(0.9, 0.33);
        assertThat(received.get("status")).as("UNKNOWN→HEALTHY→WARN→CRITICAL").containsExactly(0.9, 0.7, 0.33);
    }

    @Test
    void aCrossingOutsideTheScoresRangeIsBadUserInput() {
        ws.subscribe("bad", "subscribe-scores-threshold.graphql", Map.of("tenantId", tenant, "crossing", 1.5));

        JsonObject error = ws.next(WAIT);

        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(code(error)).isEqualTo("BAD_USER_INPUT");
        assertThat(error.getJsonArray("payload").getJsonObject(0).getString("message")).contains("crossing");
        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void subscribingToAnotherTenantIsForbiddenAndTheSocketStaysOpen() {
        ws.subscribe("theirs", "subscribe-signals.graphql", Map.of("t", "tenant-someone-else"));

        JsonObject error = ws.next(WAIT);

        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(error.getString("id")).isEqualTo("theirs");
        assertThat(code(error)).isEqualTo("FORBIDDEN");
        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void aTokenWithoutTheReadScopeCannotSubscribe() {
        try (GraphQLWsClient writer = GraphQLWsClient.ready(api.subscriptions(),
                api.token(tenant, List.of("coherence:write")))) {
            writer.subscribe("s", "subscribe-signals.graphql", Map.of("t", tenant));
            assertThat(code(writer.next(WAIT))).isEqualTo("FORBIDDEN");
        }
    }

    @Test
    void unknownFieldsAndArgumentsAnswerAnErrorNotAClose() {
        ws.subscribe("field", "subscribe-unknown-field.graphql", Map.of("t", tenant));
        ws.subscribe("arg", "subscribe-unknown-argument.graphql", Map.of("t", tenant));

        JsonObject field = ws.next(WAIT);
        JsonObject arg = ws.next(WAIT);

        assertThat(code(field)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(field.getJsonArray("payload").getJsonObject(0).getString("message")).contains("nope");
        assertThat(code(arg)).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(arg.getJsonArray("payload").getJsonObject(0).getString("message")).contains("limit");
        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void aDocumentOverTheGraphqlLimitsAnswersTheLimitsCode() {
        ws.subscribe("bomb", "subscribe-alias-bomb.graphql", Map.of("t", tenant));

        assertThat(code(ws.next(WAIT))).isEqualTo("TOO_MANY_ALIASES");
        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void aMissingVariableIsBadUserInput() {
        ws.subscribe("s", "subscribe-signals.graphql", Map.of());

        assertThat(code(ws.next(WAIT))).isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void queriesBelongToHttpButIntrospectionAnswersOnce() {
        ws.subscribe("q", "k6-read.graphql", Map.of("t", tenant));
        assertThat(code(ws.next(WAIT))).isEqualTo("OPERATION_NOT_SUPPORTED");

        ws.subscribe("i", "introspect-subscriptions.graphql", Map.of());
        JsonObject answer = ws.next(WAIT);
        assertThat(answer.getString("type")).isEqualTo("next");
        assertThat(answer.getJsonObject("payload").getJsonObject("data").getJsonObject("__schema")
                .getJsonObject("subscriptionType").getJsonArray("fields").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("name")).containsExactly("coherenceEvents", "coherenceScoreChanged");
        JsonObject complete = ws.next(WAIT);
        assertThat(complete.getString("type")).isEqualTo("complete");
        assertThat(complete.getString("id")).isEqualTo("i");
    }

    @Test
    void aConnectionHoldsAtMostItsSubscriptionLimit() {
        int limit = Integer.parseInt(io.coherence.testsupport.LibertyStackListener.SUBSCRIPTION_LIMITS
                .get("COHERENCE_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION"));
        IntStream.range(0, limit).forEach(i -> ws.subscribe("s" + i, "subscribe-signals.graphql", Map.of("t", tenant)));
        ws.subscribe("one-too-many", "subscribe-signals.graphql", Map.of("t", tenant));

        JsonObject error = ws.next(WAIT);

        assertThat(error.getString("id")).isEqualTo("one-too-many");
        assertThat(code(error)).isEqualTo("SUBSCRIPTION_LIMIT");
        ingest(tenant, 0.5);
        assertThat(ws.drainUntilPong(WAIT)).hasSize(limit);
    }

    @Test
    void aTokenThatExpiresMidStreamEndsTheSubscriptionWithAnError() {
        String shortLived = api.minter().mint(tenant, CoherenceClient.READ_WRITE, Duration.ofSeconds(2));
        try (GraphQLWsClient client = GraphQLWsClient.ready(api.subscriptions(), shortLived)) {
            client.subscribe("s", "subscribe-signals.graphql", Map.of("t", tenant));

            JsonObject error = client.await(m -> "error".equals(m.getString("type")), WAIT);

            assertThat(error.getString("id")).isEqualTo("s");
            assertThat(code(error)).isEqualTo("TOKEN_EXPIRED");
            GraphQLWsClient.Close close = client.awaitClose(WAIT);
            assertThat(close.code()).isEqualTo(4403);
            assertThat(close.reason()).contains("expired");
        }
    }

    @Test
    void aSubscriberResumesAfterItsLastSequenceWithEverythingSinceThenLiveEachOnceInOrder() {
        ingest(tenant, 0.1, 0.2, 0.3, 0.4, 0.5);

        ws.subscribe("r", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 2));
        List<JsonObject> replayed = nextEvents(3);
        ingest(tenant, 0.6, 0.7);
        List<JsonObject> live = nextEvents(2);

        assertThat(replayed).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("sequence").longValue())
                .containsExactly(3L, 4L, 5L);
        assertThat(replayed).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("value").doubleValue())
                .containsExactly(0.3, 0.4, 0.5);
        assertThat(live).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("sequence").longValue())
                .containsExactly(6L, 7L);
        assertThat(ws.drainUntilPong(WAIT)).as("nothing twice").isEmpty();
    }

    @Test
    void resumingFromTheHeadOrFromZeroSendsNothingOrEverything() {
        ingest(tenant, 0.1, 0.2);

        ws.subscribe("head", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 2));
        ws.subscribe("zero", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 0));
        List<JsonObject> all = nextEvents(2);

        assertThat(all).extracting(e -> e.getString("id")).containsOnly("zero");
        assertThat(all).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("sequence").longValue())
                .containsExactly(1L, 2L);
        assertThat(ws.drainUntilPong(WAIT)).isEmpty();
    }

    @Test
    void resumingFromFurtherBackThanTheWindowIsReplayWindowExceededAndTheSocketStaysOpen() {
        double[] many = new double[LibertyStackListener.REPLAY_MAX_EVENTS + 20];
        java.util.Arrays.fill(many, 0.5);
        ingest(tenant, many);

        ws.subscribe("old", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 5));
        JsonObject error = ws.next(WAIT);

        assertThat(error.getString("type")).isEqualTo("error");
        assertThat(code(error)).isEqualTo("REPLAY_WINDOW_EXCEEDED");
        assertThat(error.getJsonArray("payload").getJsonObject(0).getString("message"))
                .contains("at most " + LibertyStackListener.REPLAY_MAX_EVENTS + " events back");
        ws.subscribe("recent", "subscribe-signals-after.graphql",
                Map.of("t", tenant, "after", many.length - 1));
        ingest(tenant, 0.9);
        assertThat(nextEvents(2)).extracting(e -> signal(e, "coherenceEvents").getJsonNumber("sequence").longValue())
                .containsExactly((long) many.length, (long) many.length + 1);
    }

    @Test
    void aResumePointBeyondTheLastSequenceOrNegativeOrAnotherTenantsIsRefused() {
        ingest(tenant, 0.1);

        ws.subscribe("ahead", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 2));
        ws.subscribe("negative", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", -1));
        ws.subscribe("theirs", "subscribe-signals-after.graphql", Map.of("t", "tenant-someone-else", "after", 0));
        List<JsonObject> errors = nextEvents(3);

        assertThat(errors).extracting(e -> e.getString("type")).containsOnly("error");
        assertThat(errors).filteredOn(e -> e.getString("id").equals("ahead")).singleElement()
                .satisfies(e -> assertThat(code(e)).isEqualTo("BAD_USER_INPUT"));
        assertThat(errors).filteredOn(e -> e.getString("id").equals("negative")).singleElement()
                .satisfies(e -> assertThat(code(e)).isEqualTo("BAD_USER_INPUT"));
        assertThat(errors).filteredOn(e -> e.getString("id").equals("theirs")).singleElement()
                .satisfies(e -> assertThat(code(e)).isEqualTo("FORBIDDEN"));
    }

    private void ingest(String tenantId, double... values) {
        JsonArrayBuilder batch = Json.createArrayBuilder();
        for (double v : values) {
            batch.add(Json.createObjectBuilder().add("tenantId", tenantId).add("type", "ws").add("value", v)
                    .add("source", "it").add("signalId", UUID.randomUUID().toString()));
        }
        String t = tenantId.equals(tenant) ? token : api.token(tenantId, CoherenceClient.READ_WRITE);
        assertThat(api.ingest(batch.build().toString(), t).statusCode()).isEqualTo(202);
    }

    private List<JsonObject> nextEvents(int n) {
        return IntStream.range(0, n).mapToObj(i -> ws.next(WAIT)).toList();
    }

    static JsonObject signal(JsonObject next, String root) {
        return next.getJsonObject("payload").getJsonObject("data").getJsonObject(root);
    }

    static String code(JsonObject error) {
        return error.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code");
    }
}
