package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tenantCoherence while PostgreSQL is down or hung (the test server reaches it through a gate):
 * the score is computed from Neo4j and the answer says so; with Neo4j down too it is
 * STORE_UNAVAILABLE, never a score; readiness stays up but names what is down; and everything
 * returns to the materialized path by itself when PostgreSQL is back.
 */
@TestServerIT
class DegradedReadIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several times the test server's PostgreSQL socket timeout (4 s); a hung read would never end. */
    private static final Duration HUNG_READ_BOUND = Duration.ofSeconds(20);
    private static final Pattern OPERATION_ERRORS_503 =
            Pattern.compile("graphql_operation_errors_total\\{[^}]*status=\"503\"[^}]*}\\s+([0-9.E]+)");
    private static final Pattern COMPUTED = Pattern.compile(
            "score_reads_degraded_total\\{[^}]*outcome=\"computed\"[^}]*}\\s+([0-9.E]+)");

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;

    @BeforeEach
    void freshTenant() {
        tenant = "it-degraded-" + UUID.randomUUID();
        token = api.token(tenant, CoherenceClient.READ_WRITE);
    }

    @AfterEach
    void storesBack() {
        LibertyStackListener.postgresGate().restore();
        LibertyStackListener.neo4jGate().restore();
        // The next test class expects materialized reads: wait until the breakers closed again.
        Eventually.await("reads are served from PostgreSQL again", WAIT, () -> {
            HttpResponse<String> answer = api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token);
            return answer.statusCode() == 200 && !answer.body().contains("\"degraded\"")
                    && !answer.body().contains("\"errors\"");
        });
        Eventually.await("readiness names no store down", WAIT, () -> !api.get("/health/ready").body().contains("\"degraded\""));
    }

    @Test
    void whilePostgresIsDownScoresAreComputedFromNeo4jAndMarkedDegradedThenTheMaterializerCatchesUp() {
        double computedBefore = computedReads();
        LibertyStackListener.postgresGate().cut();

        Eventually.await("readiness reports PostgreSQL down and stays up", WAIT, () -> {
            HttpResponse<String> ready = api.get("/health/ready");
            return ready.statusCode() == 200 && ready.body().contains("\"postgres\":\"DOWN\"")
                    && ready.body().contains("\"degraded\":\"postgres\"");
        });
        assertThat(api.ingest(batch(), token).statusCode()).as("writes need only Neo4j").isEqualTo(202);

        JsonObject answer = api.graphql("k6-read.graphql", Map.of("t", tenant), token);

        // (0.9·3 + 0.3·1) / 4 = 0.75, from the signals in Neo4j
        assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
        assertThat(score(answer).getJsonNumber("score").doubleValue()).isEqualTo(0.75);
        assertThat(score(answer).getString("status")).isEqualTo("HEALTHY");
        assertThat(answer.getJsonObject("extensions").getJsonObject("degraded").getString("store")).isEqualTo("postgres");
        assertThat(answer.getJsonObject("extensions").getJsonObject("degraded").getString("servedFrom")).isEqualTo("neo4j");
        assertThat(computedReads()).isGreaterThan(computedBefore);
        Eventually.await("readiness reports the materializer blocked", WAIT, () -> {
            String ready = api.get("/health/ready").body();
            return ready.contains("\"state\":\"blocked\"") && ready.contains("\"blockedSince\"");
        });
        // An Idempotency-Key needs its store: refused as unavailable, and nothing is written.
        HttpResponse<String> keyed = api.ingestIdempotently(batch(), token, "k-" + UUID.randomUUID());
        assertThat(keyed.statusCode()).isEqualTo(503);
        assertThat(CoherenceClient.json(keyed.body()).getJsonObject("error").getString("code")).isEqualTo("STORE_UNAVAILABLE");
        assertThat(api.signalCount(tenant)).isEqualTo(2);

        LibertyStackListener.postgresGate().restore();

        Eventually.await("the materialized score is served again, not degraded", WAIT, () -> {
            HttpResponse<String> again = api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token);
            return again.statusCode() == 200 && !again.body().contains("\"degraded\"")
                    && again.body().contains("\"HEALTHY\"");
        });
        JsonObject materialized = api.graphql("k6-read.graphql", Map.of("t", tenant), token);
        assertThat(score(materialized).getJsonNumber("score").doubleValue()).isEqualTo(0.75);
        Eventually.await("readiness reports the materializer running", WAIT,
                () -> api.get("/health/ready").body().contains("\"state\":\"running\""));
    }

    @Test
    void withPostgresAndNeo4jDownAReadIsStoreUnavailableNeverAScore() {
        assertThat(api.ingest(batch(), token).statusCode()).isEqualTo(202);
        LibertyStackListener.postgresGate().cut();
        LibertyStackListener.neo4jGate().cut();

        Eventually.await("readiness reports the service unready", WAIT, () -> api.get("/health/ready").statusCode() == 503);
        double outagesBefore = operationErrors503();
        JsonObject answer = api.graphql("k6-read.graphql", Map.of("t", tenant), token);

        assertThat(answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"))
                .isEqualTo("STORE_UNAVAILABLE");
        assertThat(answer.toString()).doesNotContain("\"score\"").doesNotContain("Exception").doesNotContain("jdbc");
        // Answered 200 (GraphQL over HTTP), yet counted where the error-budget alerts look for it.
        assertThat(operationErrors503()).isGreaterThanOrEqualTo(outagesBefore + 1);
    }

    @Test
    void aHungPostgresHoldsAReadNoLongerThanItsTimeoutsAndTheReadIsServedDegraded() throws Exception {
        assertThat(api.ingest(batch(), token).statusCode()).isEqualTo(202);
        LibertyStackListener.postgresGate().stall();

        // Without timeouts these reads would wait for as long as PostgreSQL does not answer.
        for (int i = 0; i < 6; i++) {
            JsonObject answer = CompletableFuture.supplyAsync(() -> api.graphql("k6-read.graphql", Map.of("t", tenant), token))
                    .get(HUNG_READ_BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
            assertThat(score(answer).getJsonNumber("score").doubleValue()).isEqualTo(0.75);
            assertThat(answer.getJsonObject("extensions").getJsonObject("degraded").getString("store")).isEqualTo("postgres");
        }
    }

    private String batch() {
        String ts = Instant.now().minusSeconds(5).toString();
        return "[" + String.join(",",
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.9,\"weight\":3,\"source\":\"it\",\"signalId\":\"s1\",\"ts\":\"%s\"}"
                        .formatted(tenant, ts),
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.3,\"weight\":1,\"source\":\"it\",\"signalId\":\"s2\",\"ts\":\"%s\"}"
                        .formatted(tenant, ts)) + "]";
    }

    private double computedReads() {
        Matcher m = COMPUTED.matcher(api.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0.0;
    }

    private static JsonObject score(JsonObject answer) {
        return answer.getJsonObject("data").getJsonObject("tenantCoherence");
    }

    /** graphql_operation_errors_total{status="503"} on the test server; 0 before the first. */
    private double operationErrors503() {
        Matcher m = OPERATION_ERRORS_503.matcher(api.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
