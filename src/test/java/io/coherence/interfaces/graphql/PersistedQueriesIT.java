package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.GraphQLDocuments;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.PersistedDocuments;
import io.coherence.testsupport.ServerVariables;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Persisted queries against the real server: Apollo's protocol over POST, GET and WebSocket, the
 * test server's dev mode, strict mode switched on as an operator would, and the retiring entries
 * of the operator registry the test server is given ({@code retiring-persisted-queries.json}).
 */
@TestServerIT
class PersistedQueriesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String READ = PersistedDocuments.document("pq_tenant_coherence_v1");
    private static final String WRITE = PersistedDocuments.document("pq_publish_signal_v1");
    private static final String EVENTS = PersistedDocuments.document("pq_coherence_events_v1");
    /** Not registered: the seed's k6 read query as the k6 script writes it. */
    private static final String UNREGISTERED = GraphQLDocuments.load("k6-read.graphql");
    private static final String RETIRING = PersistedDocuments.document("pq_tenant_score_v1");
    private static final String RETIRED = PersistedDocuments.document("pq_tenant_status_v1");

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;

    @BeforeEach
    void tenant() {
        tenant = "it-pq-" + UUID.randomUUID();
        token = api.token(tenant, CoherenceClient.READ_WRITE);
    }

    static JsonObjectBuilder persisted(String hash) {
        return Json.createObjectBuilder().add("persistedQuery",
                Json.createObjectBuilder().add("version", 1).add("sha256Hash", hash));
    }

    private HttpResponse<String> post(String query, String hash, Map<String, Object> variables) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("variables", Json.createObjectBuilder(variables));
        if (query != null) {
            body.add("query", query);
        }
        if (hash != null) {
            body.add("extensions", persisted(hash));
        }
        return api.postGraphqlBody(body.build().toString(), token);
    }

    private static String code(HttpResponse<String> response) {
        return CoherenceClient.json(response.body()).getJsonArray("errors").getJsonObject(0)
                .getJsonObject("extensions").getString("code");
    }

    private static JsonObject data(HttpResponse<String> response) {
        JsonObject body = CoherenceClient.json(response.body());
        assertThat(body.containsKey("errors")).as(response.body()).isFalse();
        return body.getJsonObject("data");
    }

    @Test
    void aRegisteredHashRunsItsDocumentOverPostAndGet() {
        HttpResponse<String> post = post(null, Sha256.hex(READ), Map.of("tenantId", tenant));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(data(post).getJsonObject("tenantCoherence").getString("status")).isEqualTo("UNKNOWN");

        HttpResponse<String> get = api.getGraphql(Map.of("extensions", persisted(Sha256.hex(READ)).build().toString(),
                "variables", "{\"tenantId\":\"" + tenant + "\"}"), token);
        assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
        assertThat(data(get).getJsonObject("tenantCoherence").getString("status")).isEqualTo("UNKNOWN");
        assertThat(get.headers().firstValue("Deprecation")).isEmpty();
    }

    @Test
    void apollosAutomaticPersistedQueryRoundTripWorksInDevMode() {
        String hash = Sha256.hex(UNREGISTERED);
        HttpResponse<String> miss = post(null, hash, Map.of("t", tenant));
        assertThat(miss.statusCode()).isEqualTo(200);
        JsonObject error = CoherenceClient.json(miss.body()).getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).isEqualTo("PersistedQueryNotFound");
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
        assertThat(miss.headers().firstValue("Cache-Control")).hasValue("private, no-cache, must-revalidate");

        assertThat(data(post(UNREGISTERED, hash, Map.of("t", tenant))).getJsonObject("tenantCoherence")
                .getString("status")).isEqualTo("UNKNOWN");
        assertThat(data(post(null, hash, Map.of("t", tenant))).getJsonObject("tenantCoherence")
                .getString("status")).isEqualTo("UNKNOWN");
    }

    @Test
    void aHashThatIsNotTheDocumentsChangesNothing() {
        Map<String, Object> input = Map.of("input", Map.of("tenantId", tenant, "type", "t", "value", 0.5, "source", "it"));
        HttpResponse<String> mismatch = post(WRITE, Sha256.hex(READ), input);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(code(mismatch)).isEqualTo("PERSISTED_QUERY_HASH_MISMATCH");
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void aMutationOverGetIsRefusedAndWritesNothing() {
        String variables = "{\"input\":{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"it\"}}";
        for (Map<String, String> request : java.util.List.of(
                Map.of("query", WRITE, "variables", variables),
                Map.of("extensions", persisted(Sha256.hex(WRITE)).build().toString(), "variables", variables))) {
            HttpResponse<String> get = api.getGraphql(request, token);
            assertThat(get.statusCode()).isEqualTo(405);
            assertThat(code(get)).isEqualTo("MUTATION_OVER_GET");
            assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        }
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void aRetiringQueryAnswersWithDeprecationAndSunsetAndARetiredOneIsRefused() {
        HttpResponse<String> retiring = post(null, Sha256.hex(RETIRING), Map.of("tenantId", tenant));
        assertThat(retiring.statusCode()).isEqualTo(200);
        assertThat(retiring.headers().firstValue("Deprecation")).hasValue("@1767225600");
        assertThat(retiring.headers().firstValue("Sunset")).hasValue("Thu, 1 Jan 2099 00:00:00 GMT");

        HttpResponse<String> retired = post(RETIRED, null, Map.of("tenantId", tenant));
        assertThat(retired.statusCode()).isEqualTo(400);
        assertThat(code(retired)).isEqualTo("PERSISTED_QUERY_SUNSET");
        assertThat(CoherenceClient.json(retired.body()).getJsonArray("errors").getJsonObject(0).getString("message"))
                .contains("pq_tenant_status_v1", "2025-06-01", "pq_tenant_coherence_v1");
    }

    @Test
    void strictModeRunsOnlyRegisteredDocumentsOverHttpAndWebSocket() {
        try (ServerVariables strict = ServerVariables.set("persisted-queries", Map.of("COHERENCE_PERSISTED_QUERIES", "strict"))) {
            Eventually.await("strict mode is on", WAIT, () -> post(UNREGISTERED, null, Map.of("t", tenant)).statusCode() == 400);

            HttpResponse<String> raw = post(UNREGISTERED, null, Map.of("t", tenant));
            assertThat(code(raw)).isEqualTo("PERSISTED_QUERY_REQUIRED");
            // Apollo's registration step does not register anything in strict mode.
            assertThat(code(post(UNREGISTERED, Sha256.hex(UNREGISTERED), Map.of("t", tenant))))
                    .isEqualTo("PERSISTED_QUERY_REQUIRED");
            assertThat(code(post(null, Sha256.hex(UNREGISTERED), Map.of("t", tenant)))).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
            HttpResponse<String> introspection = api.graphqlRaw("introspect-subscriptions.graphql", Map.of(), token);
            assertThat(introspection.statusCode()).isEqualTo(400);
            assertThat(code(introspection)).isEqualTo("INTROSPECTION_DISABLED");
            HttpResponse<String> schema = api.get("/graphql/schema.graphql");
            // One code, one status: the schema file is simply not published.
            assertThat(schema.statusCode()).isEqualTo(404);
            assertThat(code(schema)).isEqualTo("NOT_FOUND");

            // The seed's documents run, sent verbatim or by hash.
            assertThat(data(post(READ, null, Map.of("tenantId", tenant))).getJsonObject("tenantCoherence")
                    .getString("status")).isEqualTo("UNKNOWN");
            try (GraphQLWsClient ws = GraphQLWsClient.ready(api.subscriptions(), token)) {
                ws.subscribe("raw", "subscribe-signals.graphql", Map.of("t", tenant));
                JsonObject refused = ws.await(m -> "raw".equals(m.getString("id", null)), WAIT);
                assertThat(refused.getString("type")).isEqualTo("error");
                assertThat(refused.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code"))
                        .isEqualTo("PERSISTED_QUERY_REQUIRED");
                ws.send(Json.createObjectBuilder().add("id", "pq").add("type", "subscribe").add("payload",
                        Json.createObjectBuilder().add("variables", Json.createObjectBuilder().add("tenantId", tenant))
                                .add("extensions", persisted(Sha256.hex(EVENTS)))).build().toString());
                assertThat(ws.drainUntilPong(WAIT)).as("subscribed, nothing yet").isEmpty();

                HttpResponse<String> write = post(null, Sha256.hex(WRITE),
                        Map.of("input", Map.of("tenantId", tenant, "type", "t", "value", 0.5, "source", "it")));
                assertThat(data(write).getBoolean("publishCoherenceSignal")).isTrue();
                JsonObject event = ws.next(WAIT);
                assertThat(event.getString("id")).isEqualTo("pq");
                assertThat(event.getJsonObject("payload").getJsonObject("data").getJsonObject("coherenceEvents")
                        .getJsonNumber("value").doubleValue()).isEqualTo(0.5);
            }
            assertThat(api.signalCount(tenant)).isEqualTo(1);
        } finally {
            Eventually.await("dev mode is back", WAIT, () -> post(UNREGISTERED, null, Map.of("t", tenant)).statusCode() == 200);
        }
        assertThat(api.get("/graphql/schema.graphql").statusCode()).isEqualTo(200);
    }
}
