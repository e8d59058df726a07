package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.PersistedDocuments;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code tenantCoherenceHistory} on the test server, run by its registered hash as the workbench
 * runs it: points from the stored per-minute sums against a reference computed here from the
 * signals ingested, the newest point against the live score, the access rule, refused arguments;
 * and the registry the workbench lists ({@code GET /v1/persisted-queries}).
 */
@TestServerIT
class ScoreHistoryIT {

    private static final String HISTORY = "pq_tenant_coherence_history_v1";

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final String tenant = "it-history-" + UUID.randomUUID();
    private final String token = api.token(tenant, CoherenceClient.READ_WRITE);

    private record Sent(Instant ts, double value, double weight) {
    }

    @Test
    void eachPointIsTheScoreOfThe24HoursBeforeItAndTheNewestMatchesTheLiveScore() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<Sent> sent = List.of(new Sent(now.minus(Duration.ofMinutes(170)).plusSeconds(20), 1.0, 1.0),
                new Sent(now.minus(Duration.ofMinutes(110)).plusSeconds(40), 0.0, 1.0),
                new Sent(now.minus(Duration.ofMinutes(50)), 0.2, 2.0));
        for (Sent s : sent) {
            HttpResponse<String> r = api.ingest(Json.createObjectBuilder().add("tenantId", tenant).add("type", "latency")
                    .add("value", s.value()).add("weight", s.weight()).add("source", "it-history")
                    .add("ts", s.ts().toString()).build().toString(), token);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }

        JsonArray points = points(history(tenant, now.minus(Duration.ofHours(4)).toString(), now.toString(), "PT1H", token));

        assertThat(points).hasSize(5);
        for (int i = 0; i < points.size(); i++) {
            JsonObject p = points.getJsonObject(i);
            Instant at = now.minus(Duration.ofHours(4 - i));
            assertThat(p.getString("at")).isEqualTo(at.toString());
            List<Sent> window = sent.stream().filter(s -> !s.ts().isBefore(at.minus(Duration.ofHours(24))) && s.ts().isBefore(at))
                    .toList();
            double weights = window.stream().mapToDouble(Sent::weight).sum();
            double expected = window.isEmpty() ? 0.0
                    : Math.round(window.stream().mapToDouble(s -> s.value() * s.weight()).sum() / weights * 100) / 100.0;
            assertThat(p.getInt("signals")).as("at %s", at).isEqualTo(window.size());
            assertThat(p.getJsonNumber("score").doubleValue()).as("at %s", at).isEqualTo(expected);
        }
        assertThat(points).extracting(p -> ((JsonObject) p).getString("status"))
                .containsExactly("UNKNOWN", "UNKNOWN", "HEALTHY", "WARN", "CRITICAL");

        JsonObject live = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                a -> "CRITICAL".equals(a.getJsonObject("data").getJsonObject("tenantCoherence").getString("status")),
                Duration.ofSeconds(30)).getJsonObject("data").getJsonObject("tenantCoherence");
        assertThat(live.getJsonNumber("score").doubleValue()).isEqualTo(points.getJsonObject(4).getJsonNumber("score").doubleValue());
    }

    @Test
    void anotherTenantsTokenAndNoTokenAreRefusedAndMalformedArgumentsNamed() {
        Instant now = Instant.now();
        String from = now.minus(Duration.ofHours(1)).toString();
        String to = now.toString();
        String other = api.token("it-history-other-" + UUID.randomUUID(), CoherenceClient.READ_WRITE);

        assertThat(code(history(tenant, from, to, "PT5M", other))).isEqualTo("FORBIDDEN");
        assertThat(code(history(tenant, from, to, "PT5M", null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(history(tenant, from, to, "PT5M", "not-a-jwt"))).isEqualTo("UNAUTHENTICATED");
        assertThat(violation(history(tenant, from, to, "PT30S", token))).isEqualTo("input.step:INVALID_DURATION");
        assertThat(violation(history(tenant, "yesterday", to, "PT5M", token))).isEqualTo("input.from:INVALID_TIMESTAMP");
        assertThat(violation(history(tenant, now.minus(Duration.ofDays(8)).toString(), to, "PT1H", token)))
                .isEqualTo("input.to:RANGE_TOO_LONG");
        assertThat(violation(history(tenant, now.minus(Duration.ofDays(2)).toString(), to, "PT1M", token)))
                .isEqualTo("input.step:TOO_MANY_POINTS");
        assertThat(violation(history(tenant, from, now.plus(Duration.ofHours(1)).toString(), "PT5M", token)))
                .isEqualTo("input.to:OUT_OF_RANGE");
        assertThat(violation(history("", from, to, "PT5M", token))).isEqualTo("input.tenantId:REQUIRED");
    }

    @Test
    void theRegistryListsEveryRegisteredDocumentWithItsModeToAnyValidToken() {
        assertThat(api.get("/v1/persisted-queries", null).statusCode()).isEqualTo(401);
        HttpResponse<String> forged = api.get("/v1/persisted-queries", "not-a-jwt");
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(CoherenceClient.json(forged.body()).getJsonObject("error").getString("code")).isEqualTo("UNAUTHENTICATED");

        HttpResponse<String> r = api.get("/v1/persisted-queries", api.token("it-history-any-" + UUID.randomUUID(), List.of()));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject registry = CoherenceClient.json(r.body());
        assertThat(registry.getString("mode")).isEqualTo("dev");
        JsonObject history = entry(registry, HISTORY);
        assertThat(history.getString("sha256")).isEqualTo(PersistedDocuments.hash(HISTORY));
        assertThat(history.getString("document")).isEqualTo(PersistedDocuments.document(HISTORY));
        assertThat(history.getString("operation")).isEqualTo("query");
        assertThat(history.getInt("version")).isEqualTo(1);
        assertThat(history.isNull("deprecated")).isTrue();
        assertThat(entry(registry, "pq_coherence_events_v1").getString("operation")).isEqualTo("subscription");
        JsonObject retired = entry(registry, "pq_tenant_status_v1");
        assertThat(retired.getString("deprecated")).isEqualTo("2025-01-01");
        assertThat(retired.getString("sunset")).isEqualTo("2025-06-01");
        assertThat(retired.getString("successor")).isEqualTo("pq_tenant_coherence_v1");
    }

    private JsonObject history(String tenantId, String from, String to, String step, String bearer) {
        String body = Json.createObjectBuilder()
                .add("extensions", Json.createObjectBuilder().add("persistedQuery", Json.createObjectBuilder()
                        .add("version", 1).add("sha256Hash", PersistedDocuments.hash(HISTORY))))
                .add("variables", Json.createObjectBuilder().add("tenantId", tenantId).add("from", from).add("to", to)
                        .add("step", step))
                .build().toString();
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(api.uri("/graphql"))
                .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return CoherenceClient.json(api.send(request.build()).body());
    }

    private static JsonArray points(JsonObject answer) {
        assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
        return answer.getJsonObject("data").getJsonArray("tenantCoherenceHistory");
    }

    private static JsonObject entry(JsonObject registry, String id) {
        return registry.getJsonArray("queries").stream().map(JsonObject.class::cast)
                .filter(q -> q.getString("id").equals(id)).findFirst().orElseThrow(() -> new AssertionError("no " + id));
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    private static String violation(JsonObject answer) {
        JsonObject extensions = answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions");
        assertThat(extensions.getString("code")).as(answer.toString()).isEqualTo("BAD_USER_INPUT");
        JsonObject v = extensions.getJsonArray("violations").getJsonObject(0);
        return v.getString("field") + ":" + v.getString("code");
    }
}
