package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.LedgerExport;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Values;

/**
 * The provenance ledger end to end: signals ingested over HTTP leave a chain verifyLedger finds
 * valid; an entry edited (or the last one removed) straight in Neo4j is named; the export checks
 * the same with the offline command; and only the tenant's own governor may ask.
 */
@TestServerIT
class LedgerApiIT {

    private static final List<String> ADMIN = List.of("coherence:admin");

    private static Driver neo4j;

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String writer;
    private String governor;
    private String ts;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        neo4j = EmbeddedEngines.shared().neo4jDriver();
    }

    @AfterAll
    static void disconnect() {
        neo4j.close();
    }

    @BeforeEach
    void freshTenant() {
        tenant = "it-ledger-" + UUID.randomUUID();
        writer = api.token(tenant, CoherenceClient.READ_WRITE);
        governor = api.token(tenant, ADMIN);
        ts = Instant.now().minusSeconds(5).toString();
    }

    private String batch(String... signalIds) {
        StringBuilder body = new StringBuilder("[");
        for (String id : signalIds) {
            body.append(body.length() > 1 ? "," : "").append(
                    "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.5,\"source\":\"it\",\"ts\":\"%s\",\"signalId\":\"%s\"}"
                            .formatted(tenant, ts, id));
        }
        return body.append(']').toString();
    }

    private void ingest(String... signalIds) {
        assertThat(api.ingest(batch(signalIds), writer).statusCode()).isEqualTo(202);
    }

    private JsonObject verify(String tenantId, String token) {
        return api.graphql("verify-ledger.graphql", Map.of("tenantId", tenantId), token);
    }

    private static JsonObject result(JsonObject answer) {
        return answer.getJsonObject("data").getJsonObject("verifyLedger");
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    private HttpResponse<String> export(String tenantId, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/v1/coherence/ledger/"
                + URLEncoder.encode(tenantId, StandardCharsets.UTF_8).replace("+", "%20"))).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return api.send(request.build());
    }

    private void edit(String cypher, long sequence) {
        try (var session = neo4j.session()) {
            session.run(cypher, Values.parameters("t", tenant, "s", sequence)).consume();
        }
    }

    /** The offline command on an export, as an operator runs it: its one line of output. */
    private String offlineCheck(String export) throws Exception {
        Path file = Files.writeString(dir.resolve("ledger-" + System.nanoTime() + ".txt"), export);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "src/main/tools/LedgerCheck.java", file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    }

    @Test
    void aLedgerOfIngestsIsValidAndAnEditedEntryIsNamed() throws Exception {
        ingest("s-1", "s-2", "s-3");
        ingest("s-4", "s-1");
        ingest("s-2");
        ingest("s-5", "s-6");

        JsonObject valid = result(verify(tenant, governor));
        assertThat(valid.getInt("entries")).isEqualTo(3);
        assertThat(valid.getBoolean("valid")).isTrue();
        assertThat(valid.isNull("firstBrokenSequence")).isTrue();
        HttpResponse<String> exported = export(tenant, governor);
        assertThat(exported.statusCode()).isEqualTo(200);
        assertThat(exported.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(exported.body()).contains("signals 1-3 (3)", "signals 4-4 (1)", "signals 5-6 (2)");
        assertThat(check(exported.body())).isEqualTo(new LedgerVerification(3, true, null));
        assertThat(offlineCheck(exported.body())).isEqualTo("tenant " + tenant + ": 3 entries, valid");

        edit("MATCH (e:LedgerEntry {tenant_id: $t, sequence: $s}) SET e.summary = 'signals 4-4 (1) and nothing else'", 2);

        JsonObject broken = result(verify(tenant, governor));
        assertThat(broken.getBoolean("valid")).isFalse();
        assertThat(broken.getInt("firstBrokenSequence")).isEqualTo(2);
        assertThat(broken.getInt("entries")).isEqualTo(3);
        String tampered = export(tenant, governor).body();
        assertThat(check(tampered)).isEqualTo(new LedgerVerification(3, false, 2L));
        assertThat(offlineCheck(tampered)).isEqualTo("tenant " + tenant + ": 3 entries, broken at sequence 2");
    }

    @Test
    void aRemovedLastEntryIsNamed() {
        ingest("s-1");
        ingest("s-2");
        ingest("s-3");

        edit("MATCH (e:LedgerEntry {tenant_id: $t, sequence: $s}) DETACH DELETE e", 3);

        JsonObject broken = result(verify(tenant, governor));
        assertThat(broken.getBoolean("valid")).isFalse();
        assertThat(broken.getInt("firstBrokenSequence")).isEqualTo(3);
        assertThat(broken.getInt("entries")).isEqualTo(2);
    }

    @Test
    void onlyTheTenantsOwnGovernorMayVerifyOrExport() {
        ingest("s-1");
        String other = "it-ledger-other-" + UUID.randomUUID();
        String otherGovernor = api.token(other, ADMIN);

        assertThat(code(verify(tenant, null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(verify(tenant, "not-a-jwt"))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(verify(tenant, writer))).isEqualTo("FORBIDDEN");
        assertThat(code(verify(tenant, otherGovernor))).isEqualTo("FORBIDDEN");
        assertThat(export(tenant, null).statusCode()).isEqualTo(401);
        HttpResponse<String> noScope = export(tenant, writer);
        assertThat(noScope.statusCode()).isEqualTo(403);
        assertThat(CoherenceClient.json(noScope.body()).getJsonObject("error").getString("code")).isEqualTo("FORBIDDEN");
        HttpResponse<String> crossTenant = export(tenant, otherGovernor);
        assertThat(crossTenant.statusCode()).isEqualTo(403);
        assertThat(crossTenant.body()).doesNotContain("signals 1-1");
        assertThat(result(verify(tenant, governor)).getBoolean("valid")).isTrue();
    }

    @Test
    void malformedTenantIdsAreRefusedByName() {
        String huge = "x".repeat(200);

        JsonObject tooLong = verify(huge, governor);
        assertThat(code(tooLong)).isEqualTo("BAD_USER_INPUT");
        assertThat(tooLong.toString()).contains("TOO_LONG").doesNotContain(huge);
        assertThat(code(verify("tenant\u0000x", governor))).isEqualTo("BAD_USER_INPUT");
        assertThat(code(verify(" ", governor))).isEqualTo("BAD_USER_INPUT");
        HttpResponse<String> exported = export("a".repeat(129), governor);
        assertThat(exported.statusCode()).isEqualTo(400);
        assertThat(CoherenceClient.json(exported.body()).getJsonObject("error").getString("code")).isEqualTo("BAD_USER_INPUT");
    }

    private static LedgerVerification check(String export) {
        return LedgerExport.check(new BufferedReader(new StringReader(export)));
    }
}
