package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.ServerVariables;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The v24.coherence flag switched off on the running server (a configDropins variable, as an
 * operator would): every API route answers 503 FEATURE_DISABLED and changes nothing, health stays
 * up; switched back on, the API answers again.
 */
@TestServerIT
class FeatureFlagIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Test
    void offAnswers503OnEveryApiRouteAndKeepsHealthUp() {
        String tenant = "it-flag-" + UUID.randomUUID();
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        String signal = "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"it\"}";
        try (ServerVariables off = ServerVariables.set("feature-flag", Map.of("v24.coherence", "false"))) {
            // Polled with a read, so that nothing is written while the server has not seen the flag yet.
            Eventually.await("the flag is read as off", WAIT, () -> readStatus(tenant, token) == 503);

            HttpResponse<String> ingest = api.ingest(signal, token);
            assertThat(CoherenceClient.json(ingest.body()).getJsonObject("error").getString("code"))
                    .isEqualTo("FEATURE_DISABLED");
            HttpResponse<String> graphql = api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token);
            assertThat(graphql.statusCode()).isEqualTo(503);
            JsonObject error = CoherenceClient.json(graphql.body()).getJsonArray("errors").getJsonObject(0);
            assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("FEATURE_DISABLED");
            assertThat(api.graphqlRaw("introspect-subscriptions.graphql", Map.of(), null).statusCode()).isEqualTo(503);
            assertThat(catchHandshake()).contains("503");
            assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(api.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(api.signalCount(tenant)).as("nothing was written").isZero();
        } finally {
            Eventually.await("the flag is back on", WAIT, () -> readStatus(tenant, token) == 200);
        }
        assertThat(api.ingest(signal, token).statusCode()).isEqualTo(202);
        assertThat(api.signalCount(tenant)).isEqualTo(1);
    }

    private int readStatus(String tenant, String token) {
        return api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode();
    }

    private String catchHandshake() {
        try (GraphQLWsClient ignored = GraphQLWsClient.connect(api.subscriptions(), GraphQLWsClient.PROTOCOL)) {
            return "connected";
        } catch (IllegalStateException refused) {
            return refused.getMessage();
        }
    }
}
