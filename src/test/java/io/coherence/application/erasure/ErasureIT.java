package io.coherence.application.erasure;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Values;

/**
 * Erasure end to end: signals of two sources, one erased (DELETE or MINIMIZE) through GraphQL,
 * polled until COMPLETED; then each store is looked at directly: the graph, the ledger, the
 * idempotency keys, the score, the queue row. And the refusals: legal hold, missing token or
 * scope, another tenant, hostile subjects.
 */
@TestServerIT
class ErasureIT {

    private static final Duration COMPLETES_WITHIN = Duration.ofSeconds(60);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final Driver neo4j = EmbeddedEngines.shared().neo4jDriver();
    private String tenant;
    private String writer;
    private String admin;

    @BeforeEach
    void freshTenant() {
        tenant = "it-erasure-" + UUID.randomUUID();
        writer = api.token(tenant, CoherenceClient.READ_WRITE);
        admin = api.token(tenant, List.of("coherence:admin", "coherence:read"));
    }

    /** device-7: three signals of 0.9, one through an Idempotency-Key; device-8: two of 0.3. Score 0.66. */
    private String ingestTwoSources() throws Exception {
        String ts = Instant.now().minusSeconds(5).toString();
        String signal = "{\"tenantId\":\"%s\",\"type\":\"t\",\"value\":%s,\"weight\":1,\"source\":\"%s\",\"signalId\":\"%s\",\"ts\":\"%s\"}";
        String batch = "[" + String.join(",", signal.formatted(tenant, "0.9", "device-7", "a", ts),
                signal.formatted(tenant, "0.9", "device-7", "b", ts), signal.formatted(tenant, "0.3", "device-8", "c", ts),
                signal.formatted(tenant, "0.3", "device-8", "d", ts)) + "]";
        assertThat(api.ingest(batch, writer).statusCode()).isEqualTo(202);
        String key = "erasure-it-" + UUID.randomUUID();
        assertThat(api.ingestIdempotently(signal.formatted(tenant, "0.9", "device-7", "e", ts), writer, key).statusCode())
                .isEqualTo(202);
        assertThat(score(awaitScore(s -> s == 0.66))).isEqualTo(0.66);
        return key;
    }

    @Test
    void deletingASourceReachesEveryStoreAndLeavesTheOtherSource() throws Exception {
        String key = ingestTwoSources();
        List<String> erasedProvenance = property("device-7", "provenance_id");
        String stored = idempotencyAnswer(key);
        assertThat(erasedProvenance).hasSize(3).anyMatch(stored::contains);

        JsonObject queued = request("device-7", "DELETE");
        assertThat(queued.getString("status")).isEqualTo("QUEUED");
        assertThat(queued.getString("subjectId")).isEqualTo("device-7");
        JsonObject done = awaitCompleted(queued.getString("id"));

        assertThat(done.getInt("affected")).isEqualTo(3);
        assertThat(done.getString("subjectId")).isEqualTo("sha256:" + Sha256.hex("device-7"));
        assertThat(api.signalValues(tenant, "source")).containsOnly("device-8").hasSize(2);
        assertThat(score(api.graphql("k6-read.graphql", Map.of("t", tenant), writer))).isEqualTo(0.3);
        assertThat(ledgerSummaries("ERASURE")).isNotEmpty().noneMatch(s -> s.contains("device-7"));
        String answer = idempotencyAnswer(key);
        assertThat(answer).contains("erased");
        erasedProvenance.forEach(p -> assertThat(answer).doesNotContain(p));

        JsonObject audit = auditPayload(done);
        assertThat(audit.toString()).doesNotContain("device-7");
        assertThat(audit.getString("subjectSha256")).isEqualTo(Sha256.hex("device-7"));
        assertThat(audit.getString("tenantId")).isEqualTo(tenant);
        assertThat(audit.getString("keyId")).isEqualTo(verifiedKeyId(done.getString("auditSignature")));
        JsonObject signals = audit.getJsonObject("stores").getJsonObject("neo4j.signals");
        assertThat(signals.getInt("before")).isEqualTo(3);
        assertThat(signals.getInt("erased")).isEqualTo(3);
        assertThat(signals.getInt("after")).isZero();
        assertThat(audit.getJsonObject("stores").getJsonObject("postgresql.idempotency_keys").getInt("answersRedacted")).isEqualTo(1);
        assertThat(audit.getJsonObject("stores").getJsonObject("postgresql.coherence_scores").getJsonNumber("score").doubleValue())
                .isEqualTo(0.3);
        assertThat(storedSubject(done.getString("id"))).as("the queue keeps only the hash").isNull();
        assertThat(api.get("/metrics").body()).contains("erasure_requests_total").contains("erasure_oldest_pending_age_seconds");
    }

    @Test
    void minimizingASourceKeepsTheScoreAndRemovesWhatIdentifies() throws Exception {
        ingestTwoSources();

        JsonObject done = awaitCompleted(request("device-7", "MINIMIZE").getString("id"));

        assertThat(done.getInt("affected")).isEqualTo(3);
        assertThat(api.signalValues(tenant, "source")).hasSize(5).doesNotContain("device-7")
                .filteredOn("erased"::equals).hasSize(3);
        assertThat(api.signalValues(tenant, "signal_id")).doesNotContain("a", "b", "e").contains("c", "d");
        try (var session = neo4j.session()) {
            long identifying = session.run("""
                    MATCH (s:Signal {tenant_id: $t, source: 'erased'})
                    WHERE s.request_hash IS NOT NULL OR s.origin IS NOT NULL OR s.value <> 0.9
                    RETURN count(s) AS n""", Values.parameters("t", tenant)).single().get("n").asLong();
            assertThat(identifying).isZero();
        }
        assertThat(score(api.graphql("k6-read.graphql", Map.of("t", tenant), writer))).isEqualTo(0.66);
        assertThat(ledgerSummaries("ERASURE")).anyMatch(s -> s.contains("minimized 3 signals"));
        assertThat(auditPayload(done).getJsonObject("stores").getJsonObject("neo4j.signals").getString("action"))
                .isEqualTo("minimized");
    }

    @Test
    void underLegalHoldTheRequestIsRefusedAndNothingIsErased() throws Exception {
        ingestTwoSources();
        JsonObject held = api.graphql("set-tenant-data-policy.graphql",
                Map.of("input", Map.of("tenantId", tenant, "legalHold", true)), admin);
        assertThat(held.getJsonObject("data").getJsonObject("setTenantDataPolicy").getBoolean("legalHold")).isTrue();

        JsonObject refused = request("device-7", "DELETE");

        assertThat(refused.getString("status")).isEqualTo("REFUSED");
        assertThat(refused.get("auditSignature")).isEqualTo(JsonValue.NULL);
        assertThat(storedReason(refused.getString("id"))).contains("legal hold");
        assertThat(refused.getString("reason")).isEqualTo(storedReason(refused.getString("id")));
        assertThat(api.signalValues(tenant, "source")).filteredOn("device-7"::equals).hasSize(3);
        assertThat(ledgerSummaries("ERASURE")).isEmpty();
    }

    @Test
    void refusesMissingTokenMissingScopeAndOtherTenantsAndStoresNothing() {
        Map<String, Object> input = Map.of("tenantId", tenant, "subjectId", "device-7", "scope", "DELETE");
        assertThat(code(api.graphql("request-erasure.graphql", Map.of("input", input), null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("request-erasure.graphql", Map.of("input", input), writer))).isEqualTo("FORBIDDEN");
        String otherAdmin = api.token("it-erasure-other-" + UUID.randomUUID(), List.of("coherence:admin"));
        assertThat(code(api.graphql("request-erasure.graphql", Map.of("input", input), otherAdmin))).isEqualTo("FORBIDDEN");
        assertThat(requestsStored()).isZero();

        String id = request("device-7", "DELETE").getString("id");
        String otherTenant = "it-erasure-other-" + UUID.randomUUID();
        String theirAdmin = api.token(otherTenant, List.of("coherence:admin"));
        JsonObject theirView = api.graphql("erasure-request.graphql", Map.of("tenantId", otherTenant, "id", id), theirAdmin);
        assertThat(theirView.getJsonObject("data").get("erasureRequest")).as("not found, as an unknown id").isEqualTo(JsonValue.NULL);
        assertThat(theirView.containsKey("errors")).isFalse();
        assertThat(code(api.graphql("erasure-request.graphql", Map.of("tenantId", tenant, "id", id), theirAdmin)))
                .isEqualTo("FORBIDDEN");
        assertThat(code(api.graphql("erasure-request.graphql", Map.of("tenantId", tenant, "id", id), null)))
                .isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("erasure-request.graphql", Map.of("tenantId", tenant, "id", id), writer)))
                .isEqualTo("FORBIDDEN");
    }

    @Test
    void refusesMalformedOversizedAndHostileSubjectsNamingTheFieldAndStoresNothing() {
        for (String[] hostile : new String[][] {{"", "REQUIRED"}, {"x".repeat(10_000), "TOO_LONG"},
                {"device\u0000-7", "NOT_PRINTABLE"}, {"evil\u202Egnp.exe", "NOT_PRINTABLE"}, {" device-7", "NOT_PRINTABLE"},
                {"line\nbreak", "NOT_PRINTABLE"}}) {
            JsonObject answer = api.graphql("request-erasure.graphql",
                    Map.of("input", Map.of("tenantId", tenant, "subjectId", hostile[0], "scope", "DELETE")), admin);
            JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
            assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("BAD_USER_INPUT");
            assertThat(error.getJsonObject("extensions").getJsonArray("violations").getValuesAs(JsonObject.class))
                    .extracting(v -> v.getString("field") + ":" + v.getString("code"))
                    .containsExactly("input.subjectId:" + hostile[1]);
        }
        JsonObject badScope = api.graphql("request-erasure.graphql",
                Map.of("input", Map.of("tenantId", tenant, "subjectId", "device-7", "scope", "EVERYTHING")), admin);
        assertThat(badScope.getJsonArray("errors")).isNotEmpty();
        JsonObject badId = api.graphql("erasure-request.graphql", Map.of("tenantId", tenant, "id", "1' OR '1'='1"), admin);
        assertThat(code(badId)).isEqualTo("BAD_USER_INPUT");
        assertThat(requestsStored()).isZero();
    }

    private JsonObject request(String subject, String scope) {
        JsonObject answer = api.graphql("request-erasure.graphql",
                Map.of("input", Map.of("tenantId", tenant, "subjectId", subject, "scope", scope)), admin);
        assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
        return answer.getJsonObject("data").getJsonObject("requestErasure");
    }

    private JsonObject awaitCompleted(String id) throws InterruptedException {
        JsonObject answer = api.awaitGraphql("erasure-request.graphql", Map.of("tenantId", tenant, "id", id), admin,
                r -> status(r).equals("COMPLETED") || status(r).equals("FAILED"), COMPLETES_WITHIN);
        JsonObject request = answer.getJsonObject("data").getJsonObject("erasureRequest");
        assertThat(request.getString("status")).as(answer.toString()).isEqualTo("COMPLETED");
        assertThat(request.getString("completedAt")).isNotBlank();
        assertThat(request.getString("auditSignature").split("\\.")).hasSize(3);
        return request;
    }

    private static String status(JsonObject answer) {
        JsonObject data = answer.getJsonObject("data");
        return data == null || data.isNull("erasureRequest") ? "" : data.getJsonObject("erasureRequest").getString("status");
    }

    private JsonObject awaitScore(java.util.function.DoublePredicate until) throws InterruptedException {
        return api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), writer, r -> until.test(score(r)), Duration.ofSeconds(20));
    }

    private static double score(JsonObject answer) {
        return answer.getJsonObject("data").getJsonObject("tenantCoherence").getJsonNumber("score").doubleValue();
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    /** Verifies the JWS with the key the service publishes; answers the key's id. */
    private String verifiedKeyId(String jws) throws Exception {
        JWSObject signed = JWSObject.parse(jws);
        JWKSet keys = JWKSet.parse(api.get("/v1/coherence/audit/keys").body());
        RSAKey key = keys.getKeyByKeyId(signed.getHeader().getKeyID()).toRSAKey();
        assertThat(signed.verify(new RSASSAVerifier(key))).as("the signature verifies with the published key").isTrue();
        return key.getKeyID();
    }

    private static JsonObject auditPayload(JsonObject request) {
        String payload = request.getString("auditSignature").split("\\.")[1];
        return CoherenceClient.json(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    private List<String> property(String source, String property) {
        try (var session = neo4j.session()) {
            return session.run("MATCH (s:Signal {tenant_id: $t, source: $s}) RETURN s[$p] AS v",
                    Values.parameters("t", tenant, "s", source, "p", property)).list(r -> r.get("v").asString());
        }
    }

    private List<String> ledgerSummaries(String action) {
        try (var session = neo4j.session()) {
            return session.run("MATCH (e:LedgerEntry {tenant_id: $t, action: $a}) RETURN e.summary AS s ORDER BY e.sequence",
                    Values.parameters("t", tenant, "a", action)).list(r -> r.get("s").asString());
        }
    }

    private String idempotencyAnswer(String key) throws SQLException {
        return queryString("SELECT response FROM idempotency_keys WHERE tenant_scope = ? AND idem_key = ?", tenant, key);
    }

    private String storedSubject(String id) throws SQLException {
        return queryString("SELECT subject_id FROM rtbf_requests WHERE id = ?::uuid", id);
    }

    private String storedReason(String id) throws SQLException {
        return queryString("SELECT reason FROM rtbf_requests WHERE id = ?::uuid", id);
    }

    private long requestsStored() {
        try {
            return Long.parseLong(queryString("SELECT count(*)::text FROM rtbf_requests WHERE tenant_id = ?", tenant));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queryString(String sql, String... params) throws SQLException {
        try (Connection c = EmbeddedEngines.shared().postgresDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                List<String> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
                assertThat(rows).hasSize(1);
                return rows.get(0);
            }
        }
    }
}
