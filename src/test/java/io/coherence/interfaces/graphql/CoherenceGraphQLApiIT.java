package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /graphql end to end: ingest → materializer → PostgreSQL → tenantCoherence, and its refusals. */
@TestServerIT
class CoherenceGraphQLApiIT {

    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(10);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;

    @BeforeEach
    void freshTenant() {
        tenant = "it-gql-" + UUID.randomUUID();
        token = api.token(tenant, CoherenceClient.READ_WRITE);
    }

    @Test
    void ingestedSignalsBecomeTheScoreSeenThroughTheSeedReadQuery() throws Exception {
        String now = Instant.now().minusSeconds(5).toString();
        String batch = "[" + String.join(",",
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.9,\"weight\":3,\"source\":\"it\",\"ts\":\"%s\"}".formatted(tenant, now),
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.3,\"weight\":1,\"source\":\"it\",\"ts\":\"%s\"}".formatted(tenant, now),
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.0,\"source\":\"it\",\"ts\":\"%s\"}".formatted(tenant,
                        Instant.now().minus(Duration.ofHours(25)))) + "]";
        assertThat(api.ingest(batch, token).statusCode()).isEqualTo(202);

        JsonObject answer = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                r -> !"UNKNOWN".equals(score(r).getString("status")), VISIBLE_WITHIN);

        // (0.9·3 + 0.3·1) / 4 = 0.75; the 25 h old signal is outside the window.
        assertThat(score(answer).getJsonNumber("score").doubleValue()).isEqualTo(0.75);
        assertThat(score(answer).getString("status")).isEqualTo("HEALTHY");
        assertThat(Instant.parse(score(answer).getString("updatedAt"))).isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void theSeedWriteMutationStoresASignalAndAnswersTrue() throws Exception {
        Map<String, Object> input = Map.of("tenantId", tenant, "type", "k6", "value", 0.4, "source", "k6",
                "ts", Instant.now().toString());

        JsonObject answer = api.graphql("k6-write.graphql", Map.of("input", input), token);

        assertThat(answer.getJsonObject("data").getBoolean("publishCoherenceSignal")).isTrue();
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        JsonObject scored = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                r -> "CRITICAL".equals(score(r).getString("status")), VISIBLE_WITHIN);
        assertThat(score(scored).getJsonNumber("score").doubleValue()).isEqualTo(0.4);
    }

    @Test
    void aTenantWithoutSignalsIsUnknownWithScoreZero() {
        JsonObject answer = api.graphql("k6-read.graphql", Map.of("t", tenant), token);

        assertThat(score(answer).getJsonNumber("score").doubleValue()).isZero();
        assertThat(score(answer).getString("status")).isEqualTo("UNKNOWN");
    }

    @Test
    void refusesCrossTenantReadsAndWritesAndWritesNothing() {
        String other = "it-gql-other-" + UUID.randomUUID();
        Map<String, Object> input = Map.of("tenantId", other, "type", "k6", "value", 0.4, "source", "k6");

        assertThat(code(api.graphql("k6-read.graphql", Map.of("t", other), token))).isEqualTo("FORBIDDEN");
        assertThat(code(api.graphql("k6-write.graphql", Map.of("input", input), token))).isEqualTo("FORBIDDEN");
        assertThat(api.signalCount(other)).isZero();
    }

    @Test
    void refusesCallersWithoutTokenOrScope() {
        Map<String, Object> input = Map.of("tenantId", tenant, "type", "k6", "value", 0.4, "source", "k6");

        assertThat(code(api.graphql("k6-read.graphql", Map.of("t", tenant), null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("k6-write.graphql", Map.of("input", input), null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("k6-read.graphql", Map.of("t", tenant), "not-a-jwt"))).isEqualTo("UNAUTHENTICATED");
        String readOnly = api.token(tenant, List.of("coherence:read"));
        assertThat(code(api.graphql("k6-write.graphql", Map.of("input", input), readOnly))).isEqualTo("FORBIDDEN");
        String writeOnly = api.token(tenant, List.of("coherence:write"));
        assertThat(code(api.graphql("k6-read.graphql", Map.of("t", tenant), writeOnly))).isEqualTo("FORBIDDEN");
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void refusesInvalidInputWithViolationsAndWritesNothing() {
        Map<String, Object> input = Map.of("tenantId", tenant, "type", "k6", "value", 1.5, "source", "");

        JsonObject answer = api.graphql("k6-write.graphql", Map.of("input", input), token);

        JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("BAD_USER_INPUT");
        assertThat(error.getJsonObject("extensions").getJsonArray("violations").getValuesAs(JsonObject.class))
                .extracting(v -> v.getString("field") + ":" + v.getString("code"))
                .contains("input.value:OUT_OF_RANGE", "input.source:REQUIRED");
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void answersMalformedDocumentsWithCodesAndNoInternals() {
        HttpResponse<String> unknownField = api.graphqlRaw("unknown-field.graphql", Map.of("t", tenant), token);
        HttpResponse<String> syntax = api.graphqlRaw("syntax-error.graphql", Map.of("t", tenant), token);
        HttpResponse<String> wrongVariable = api.graphqlRaw("k6-write.graphql",
                Map.of("input", Map.of("tenantId", tenant, "type", "k6", "value", "high", "source", "k6")), token);

        assertThat(code(CoherenceClient.json(unknownField.body()))).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        assertThat(code(CoherenceClient.json(syntax.body()))).isEqualTo("GRAPHQL_PARSE_FAILED");
        assertThat(code(CoherenceClient.json(wrongVariable.body()))).isEqualTo("GRAPHQL_VALIDATION_FAILED");
        for (HttpResponse<String> response : List.of(unknownField, syntax, wrongVariable)) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("io.smallrye").doesNotContain("graphql.");
        }
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void answersABodyThatIsNotJsonAsMalformed() {
        HttpResponse<String> response = api.postGraphqlBody("{\"query\":\"{ tenantCoherence(tenantId: \"t\") }\"}", token);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(code(CoherenceClient.json(response.body()))).isEqualTo("MALFORMED_JSON");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("jakarta.");
    }

    @Test
    void servesTheSeedSchema() {
        String sdl = api.get("/graphql/schema.graphql").body();

        assertThat(sdl).contains("tenantCoherence(tenantId: ID!): CoherenceScore!")
                .contains("publishCoherenceSignal(input: PublishCoherenceSignalInput!): Boolean!")
                .contains("type CoherenceScore").contains("input PublishCoherenceSignalInput");
    }

    @Test
    void theServerStartedWithEveryFeature() throws Exception {
        Path log = Path.of(System.getProperty("coherence.it.wlpHome"), "usr/servers",
                System.getProperty("coherence.it.serverName"), "logs/messages.log");

        String messages = Files.readString(log);

        // CWWKF0033E: incompatible features; Liberty then starts with none and still says "ready".
        assertThat(messages).doesNotContain("CWWKF0033E").contains("CWWKF0011I");
        assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
    }

    private static JsonObject score(JsonObject answer) {
        return answer.getJsonObject("data").getJsonObject("tenantCoherence");
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }
}
