package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.TestServerIT;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Idempotency-Key on ingest, end to end: replay, reuse with another body, in progress, scope. */
@TestServerIT
class IdempotencyKeyIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;

    @BeforeEach
    void freshTenant() {
        tenant = "it-idem-" + UUID.randomUUID();
        token = api.token(tenant, CoherenceClient.READ_WRITE);
    }

    /** No signalId and no ts: without the key, a retry would be stored again with a new timestamp. */
    private String signal(String tenantId, double value) {
        return "{\"tenantId\":\"" + tenantId + "\",\"type\":\"t\",\"value\":" + value + ",\"source\":\"it\"}";
    }

    @Test
    void theSameKeyAndBodyReplaysTheFirstAnswerAndStoresNothingMore() {
        String key = "key-" + UUID.randomUUID();
        HttpResponse<String> first = api.ingestIdempotently(signal(tenant, 0.4), token, key);
        HttpResponse<String> again = api.ingestIdempotently(signal(tenant, 0.4), token, key);

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(CoherenceClient.json(again.body())).isEqualTo(CoherenceClient.json(first.body()));
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(api.ingest(signal(tenant, 0.4), token).statusCode()).as("without the key").isEqualTo(202);
        assertThat(api.signalCount(tenant)).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndWritesNothing() {
        String key = "key-" + UUID.randomUUID();
        api.ingestIdempotently(signal(tenant, 0.4), token, key);

        HttpResponse<String> other = api.ingestIdempotently(signal(tenant, 0.9), token, key);

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(CoherenceClient.json(other.body()).getJsonObject("error").getString("code"))
                .isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(api.signalCount(tenant)).isEqualTo(1);
    }

    @Test
    void aKeyWhoseFirstRequestIsStillRunningIs409() throws Exception {
        String key = "key-" + UUID.randomUUID();
        String body = signal(tenant, 0.4);
        // The state a first request leaves while it runs (a claim without an answer).
        try (Connection c = EmbeddedEngines.shared().postgresDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_keys (tenant_scope, idem_key, "
                     + "request_hash, state) VALUES (?, ?, ?, 'running')")) {
            ps.setString(1, tenant);
            ps.setString(2, key);
            ps.setString(3, Sha256.hex(body));
            ps.executeUpdate();
        }

        HttpResponse<String> second = api.ingestIdempotently(body, token, key);

        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.body()).contains("IDEMPOTENCY_KEY_IN_USE");
        assertThat(api.signalCount(tenant)).isZero();
    }

    @Test
    void keysAreScopedToTheTenant() {
        String key = "key-" + UUID.randomUUID();
        String other = "it-idem-other-" + UUID.randomUUID();
        api.ingestIdempotently(signal(tenant, 0.4), token, key);

        HttpResponse<String> theirs = api.ingestIdempotently(signal(other, 0.9),
                api.token(other, CoherenceClient.READ_WRITE), key);

        assertThat(theirs.statusCode()).isEqualTo(202);
        assertThat(api.signalCount(other)).isEqualTo(1);
    }

    @Test
    void aRefusedRequestIsReplayedAsRefused() {
        String key = "key-" + UUID.randomUUID();
        String invalid = signal(tenant, 7.5);

        HttpResponse<String> first = api.ingestIdempotently(invalid, token, key);
        HttpResponse<String> again = api.ingestIdempotently(invalid, token, key);

        assertThat(first.statusCode()).isEqualTo(400);
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(CoherenceClient.json(again.body())).isEqualTo(CoherenceClient.json(first.body()));
    }

    /** Issue 14: the key was claimed before the policy, so a read-only token occupied it with its 403. */
    @Test
    void aCallerNotAllowedToWriteDoesNotOccupyTheKey() {
        String key = "key-" + UUID.randomUUID();
        String body = signal(tenant, 0.4);

        HttpResponse<String> reader = api.ingestIdempotently(body, api.token(tenant, List.of("coherence:read")), key);
        HttpResponse<String> writer = api.ingestIdempotently(body, token, key);

        assertThat(reader.statusCode()).isEqualTo(403);
        assertThat(writer.statusCode()).isEqualTo(202);
        assertThat(writer.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(api.signalCount(tenant)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\tkey", "x"})
    void aKeyThatIsNotPrintableAsciiIs400(String key) {
        if (key.equals("x")) {
            key = "k".repeat(256);
        }
        HttpResponse<String> response = api.ingestIdempotently(signal(tenant, 0.4), token, key);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("INVALID_IDEMPOTENCY_KEY");
        assertThat(api.signalCount(tenant)).isZero();
    }
}
