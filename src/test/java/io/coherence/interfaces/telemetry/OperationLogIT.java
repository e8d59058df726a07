package io.coherence.interfaces.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.ServerVariables;
import io.coherence.testsupport.TestServerIT;
import io.coherence.testsupport.TokenMinter;
import io.coherence.testsupport.TraceParent;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The test server's own messages.log, in Liberty's JSON format: one operation line per request
 * with its fields as keys, and no token, key or password anywhere in the server's logs.
 */
@TestServerIT
class OperationLogIT {

    private static final Duration WRITTEN = Duration.ofSeconds(20);

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Test
    void anIngestLeavesOneJsonLineWithTenantOpLatencyProvenanceAndTrace() {
        String tenant = "it-log-" + UUID.randomUUID();
        String traceId = TraceParent.newTraceId();

        HttpResponse<String> response = post("/v1/coherence/signals", api.token(tenant, CoherenceClient.READ_WRITE), traceId,
                "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"log\",\"ts\":\"" + Instant.now() + "\"}");
        assertThat(response.statusCode()).isEqualTo(202);
        String provenanceId = CoherenceClient.json(response.body()).getJsonArray("items").getJsonObject(0)
                .getString("provenanceId");

        JsonObject line = awaitOperation(traceId);
        assertThat(line.getString("module")).isEqualTo("io.coherence.operations");
        assertThat(line.getString("ext_op")).isEqualTo("ingest");
        assertThat(line.getString("ext_tenant_id")).isEqualTo(tenant);
        assertThat(line.getString("ext_status")).isEqualTo("202");
        assertThat(line.getString("ext_provenance_id")).isEqualTo(provenanceId);
        assertThat(line.getString("ext_signals")).isEqualTo("1");
        assertThat(Double.parseDouble(line.getString("ext_latency_ms"))).isPositive();
        assertThat(line.containsKey("ext_error_code")).isFalse();
    }

    @Test
    void aRefusedGraphQLReadNamesItsErrorCode() {
        String traceId = TraceParent.newTraceId();

        HttpResponse<String> response = post("/graphql", api.token("it-log-reader", CoherenceClient.READ_WRITE), traceId,
                "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score } }\",\"variables\":{\"t\":\"it-log-other\"}}");
        assertThat(response.body()).contains("FORBIDDEN");

        JsonObject line = awaitOperation(traceId);
        assertThat(line.getString("ext_op")).isEqualTo("graphql query");
        assertThat(line.getString("ext_tenant_id")).isEqualTo("it-log-reader");
        assertThat(line.getString("ext_error_code")).isEqualTo("FORBIDDEN");
        assertThat(line.getString("ext_status")).isEqualTo("200");
    }

    @Test
    void noTokenPrivateKeyOrPasswordReachesAnyLog() throws IOException {
        String tenant = "it-log-secrets";
        String valid = api.token(tenant, CoherenceClient.READ_WRITE);
        String expired = api.minter().mint(tenant, CoherenceClient.READ_WRITE, Duration.ofSeconds(-120));
        String forged = TokenMinter.withThrowawayKey("coherence-devstack", "coherence")
                .mint(tenant, CoherenceClient.READ_WRITE, Duration.ofMinutes(5));
        String body = "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"log\"}";
        for (String token : List.of(valid, expired, forged, valid + "x", "not-a-jwt")) {
            post("/v1/coherence/signals", token, TraceParent.newTraceId(), body);
            post("/graphql", token, TraceParent.newTraceId(), "{\"query\":\"{ tenantCoherence(tenantId:\\\"" + tenant + "\\\"){ score } }\"}");
        }
        // A refused request with a secret where a field belongs: the refusal names the field, not the value.
        String last = TraceParent.newTraceId();
        post("/v1/coherence/signals", valid, last, "{\"tenantId\":\"" + tenant + "\",\"password\":\"" + valid + "\"}");
        assertThat(awaitOperation(last).getString("ext_error_code")).isEqualTo("BAD_USER_INPUT");

        List<String> secrets = new ArrayList<>();
        for (String token : List.of(valid, expired, forged)) {
            secrets.add(token);
            secrets.add(token.substring(token.lastIndexOf('.') + 1));
        }
        String pem = Files.readString(api.keys().privateKeyFile());
        pem.lines().filter(l -> !l.startsWith("-----") && l.length() >= 40).forEach(secrets::add);

        List<Path> logs = logFiles();
        assertThat(logs).isNotEmpty();
        for (Path log : logs) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text).as("%s holds a secret", log.getFileName()).doesNotContain(secret);
            }
            assertThat(text).as("%s holds a bearer header", log.getFileName()).doesNotContain("Bearer ey");
        }
    }

    private HttpResponse<String> post(String path, String token, String traceId, String body) {
        return api.postTraced(path, token, traceId, body);
    }

    /** The operation line of the request that carried this trace id. */
    private static JsonObject awaitOperation(String traceId) {
        Eventually.await("the operation log line of trace " + traceId, WRITTEN, () -> operation(traceId).isPresent());
        return operation(traceId).orElseThrow();
    }

    private static Optional<JsonObject> operation(String traceId) {
        try (Stream<String> lines = Files.lines(messagesLog(), StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains(traceId)).map(OperationLogIT::json)
                    .filter(j -> j != null && traceId.equals(j.getString("ext_trace_id", null))).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    private static JsonObject json(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        } catch (JsonException e) {
            return null;
        }
    }

    private static Path messagesLog() {
        return ServerVariables.serverDir().resolve("logs/messages.log");
    }

    private static List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.walk(ServerVariables.serverDir().resolve("logs"))) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".log")).toList();
        }
    }

}
