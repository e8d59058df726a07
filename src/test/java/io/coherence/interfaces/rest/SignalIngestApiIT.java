package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TestServerIT;
import io.coherence.testsupport.TokenMinter;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /v1/coherence/signals against the real server and engines. */
@TestServerIT
class SignalIngestApiIT {

    private static final List<String> WRITE = List.of("coherence:write");

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String token;

    @BeforeEach
    void freshTenant() {
        tenant = "it-ingest-" + UUID.randomUUID();
        token = api.token(tenant, WRITE);
    }

    @Test
    void acceptsASignalOnceAndAnswersDuplicateForTheRetry() {
        String body = signal(tenant, 0.8, Instant.now().minusSeconds(30).toString());

        HttpResponse<String> first = api.ingest(body, token);
        HttpResponse<String> retry = api.ingest(body, token);

        assertThat(first.statusCode()).isEqualTo(202);
        JsonObject item = CoherenceClient.json(first.body()).getJsonArray("items").getJsonObject(0);
        assertThat(item.getString("status")).isEqualTo("accepted");
        assertThat(item.getString("signalId")).startsWith("sha256:");
        assertThat(item.getString("provenanceId")).hasSize(36);
        assertThat(retry.statusCode()).isEqualTo(202);
        JsonObject again = CoherenceClient.json(retry.body()).getJsonArray("items").getJsonObject(0);
        assertThat(again.getString("status")).isEqualTo("duplicate");
        assertThat(again.getString("provenanceId")).isEqualTo(item.getString("provenanceId"));
        assertThat(api.signalCount(tenant)).isEqualTo(1);
    }

    /** Without ts each attempt is stamped when it arrives; the signalId alone must still make it one signal. */
    @Test
    void concurrentRetriesOfASignalIdWithoutTsStoreOneSignal() throws Exception {
        String body = "{\"tenantId\":\"%s\",\"type\":\"race\",\"value\":0.5,\"source\":\"s\",\"signalId\":\"no-ts\"}"
                .formatted(tenant);
        int callers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.ingest(body, token);
                }));
            }
            start.countDown();
            int accepted = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).isEqualTo(202);
                accepted += CoherenceClient.json(response.body()).getInt("accepted");
            }
            HttpResponse<String> later = api.ingest(body, token);
            assertThat(accepted).isEqualTo(1);
            assertThat(CoherenceClient.json(later.body()).getInt("duplicates")).isEqualTo(1);
            assertThat(api.signalCount(tenant)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void answersABatchPerItemInRequestOrder() {
        String now = Instant.now().toString();
        String body = "[" + String.join(",",
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.1,\"source\":\"s\",\"signalId\":\"one\",\"ts\":\"%s\"}".formatted(tenant, now),
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.2,\"source\":\"s\",\"signalId\":\"two\",\"ts\":\"%s\"}".formatted(tenant, now),
                "{\"tenantId\":\"%s\",\"type\":\"a\",\"value\":0.1,\"source\":\"s\",\"signalId\":\"one\",\"ts\":\"%s\"}".formatted(tenant, now)) + "]";

        HttpResponse<String> response = api.ingest(body, token);

        assertThat(response.statusCode()).isEqualTo(202);
        JsonObject json = CoherenceClient.json(response.body());
        assertThat(json.getInt("accepted")).isEqualTo(2);
        assertThat(json.getInt("duplicates")).isEqualTo(1);
        assertThat(json.getJsonArray("items").getValuesAs(JsonObject.class))
                .extracting(i -> i.getString("signalId") + "/" + i.getString("status"))
                .containsExactly("one/accepted", "two/accepted", "one/duplicate");
        assertThat(api.signalCount(tenant)).isEqualTo(2);
    }

    @Test
    void concurrentDuplicatesCreateOneSignal() throws Exception {
        String body = "{\"tenantId\":\"%s\",\"type\":\"race\",\"value\":0.5,\"source\":\"s\",\"signalId\":\"same\",\"ts\":\"%s\"}"
                .formatted(tenant, Instant.now());
        int callers = 12;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Callable<HttpResponse<String>> call = () -> {
                    start.await();
                    return api.ingest(body, token);
                };
                answers.add(pool.submit(call));
            }
            start.countDown();
            int accepted = 0;
            for (Future<HttpResponse<String>> answer : answers) {
                HttpResponse<String> response = answer.get();
                assertThat(response.statusCode()).isEqualTo(202);
                accepted += CoherenceClient.json(response.body()).getInt("accepted");
            }
            assertThat(accepted).isEqualTo(1);
            assertThat(api.signalCount(tenant)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesBadInputWithTheFieldAndWritesNothing() {
        String ok = "\"tenantId\":\"%s\",\"type\":\"t\",\"source\":\"s\"".formatted(tenant);
        String longText = "x".repeat(129);
        String future = Instant.now().plus(Duration.ofMinutes(10)).toString();
        String ancient = Instant.now().minus(Duration.ofDays(400)).toString();
        List<BadInput> cases = List.of(
                new BadInput("not JSON", "{tenantId:", 400, "MALFORMED_JSON", null),
                new BadInput("JSON string", "\"hello\"", 400, "MALFORMED_JSON", null),
                new BadInput("empty array", "[]", 400, "EMPTY_BATCH", null),
                new BadInput("duplicate key", "{" + ok + ",\"value\":0.1,\"value\":0.9}", 400, "MALFORMED_JSON", null),
                new BadInput("unknown field", "{" + ok + ",\"value\":0.1,\"admin\":true}", 400, "BAD_USER_INPUT", "admin:UNKNOWN_FIELD"),
                new BadInput("value missing", "{" + ok + "}", 400, "BAD_USER_INPUT", "value:REQUIRED"),
                new BadInput("value above 1", "{" + ok + ",\"value\":1.5}", 400, "BAD_USER_INPUT", "value:OUT_OF_RANGE"),
                new BadInput("value negative", "{" + ok + ",\"value\":-0.1}", 400, "BAD_USER_INPUT", "value:OUT_OF_RANGE"),
                new BadInput("value a string", "{" + ok + ",\"value\":\"0.5\"}", 400, "BAD_USER_INPUT", "value:INVALID_TYPE"),
                new BadInput("value infinite", "{" + ok + ",\"value\":1e400}", 400, "BAD_USER_INPUT", "value:NOT_FINITE"),
                new BadInput("weight zero", "{" + ok + ",\"value\":0.5,\"weight\":0}", 400, "BAD_USER_INPUT", "weight:OUT_OF_RANGE"),
                new BadInput("weight negative", "{" + ok + ",\"value\":0.5,\"weight\":-2}", 400, "BAD_USER_INPUT", "weight:OUT_OF_RANGE"),
                new BadInput("type blank", "{\"tenantId\":\"%s\",\"type\":\" \",\"source\":\"s\",\"value\":0.5}".formatted(tenant), 400, "BAD_USER_INPUT", "type:REQUIRED"),
                new BadInput("source too long", "{\"tenantId\":\"%s\",\"type\":\"t\",\"source\":\"%s\",\"value\":0.5}".formatted(tenant, longText), 400, "BAD_USER_INPUT", "source:TOO_LONG"),
                new BadInput("type with control char", "{\"tenantId\":\"%s\",\"type\":\"a\\u0007b\",\"source\":\"s\",\"value\":0.5}".formatted(tenant), 400, "BAD_USER_INPUT", "type:NOT_PRINTABLE"),
                new BadInput("source with bidi override", "{\"tenantId\":\"%s\",\"type\":\"t\",\"source\":\"a\\u202eb\",\"value\":0.5}".formatted(tenant), 400, "BAD_USER_INPUT", "source:NOT_PRINTABLE"),
                new BadInput("ts without offset", "{" + ok + ",\"value\":0.5,\"ts\":\"2026-01-01T00:00:00\"}", 400, "BAD_USER_INPUT", "ts:INVALID_TIMESTAMP"),
                new BadInput("ts in the future", "{" + ok + ",\"value\":0.5,\"ts\":\"" + future + "\"}", 400, "BAD_USER_INPUT", "ts:TS_IN_FUTURE"),
                new BadInput("ts beyond retention", "{" + ok + ",\"value\":0.5,\"ts\":\"" + ancient + "\"}", 400, "BAD_USER_INPUT", "ts:TS_BEYOND_RETENTION"),
                new BadInput("signalId empty", "{" + ok + ",\"value\":0.5,\"signalId\":\"\"}", 400, "BAD_USER_INPUT", "signalId:TOO_LONG"),
                new BadInput("one bad item spoils the batch", "[{" + ok + ",\"value\":0.5},{" + ok + ",\"value\":7}]", 400, "BAD_USER_INPUT", "value:OUT_OF_RANGE"),
                new BadInput("array of numbers", "[1,2]", 400, "BAD_USER_INPUT", null),
                new BadInput("cross-tenant item in a batch", "[{" + ok + ",\"value\":0.5},{\"tenantId\":\"someone-else\",\"type\":\"t\",\"source\":\"s\",\"value\":0.5}]", 403, "FORBIDDEN", null),
                new BadInput("batch over the limit", batchOf(1001), 413, "BATCH_TOO_LARGE", null),
                new BadInput("body over 1 MiB", "{" + ok + ",\"value\":0.5,\"type\":\"" + "y".repeat(1_100_000) + "\"}", 413, "PAYLOAD_TOO_LARGE", null));

        SoftAssertions softly = new SoftAssertions();
        for (BadInput c : cases) {
            HttpResponse<String> response = api.ingest(c.body(), token);
            softly.assertThat(response.statusCode()).as(c.name() + " status").isEqualTo(c.status());
            JsonObject error = CoherenceClient.json(response.body()).getJsonObject("error");
            softly.assertThat(error.getString("code")).as(c.name() + " code").isEqualTo(c.code());
            if (c.detail() != null) {
                softly.assertThat(error.getJsonArray("details").getValuesAs(JsonObject.class))
                        .as(c.name() + " details")
                        .extracting(d -> d.getString("field", "") + ":" + d.getString("code"))
                        .contains(c.detail());
            }
            softly.assertThat(response.body()).as(c.name() + " leaks nothing internal")
                    .doesNotContain("Exception").doesNotContain("io.coherence").doesNotContain("\tat ");
        }
        softly.assertThat(api.signalCount(tenant)).as("signals written by refused requests").isZero();
        softly.assertAll();
    }

    @Test
    void refusesCallersWithoutAValidTokenAndWritesNothing() {
        String body = signal(tenant, 0.5, Instant.now().toString());
        TokenMinter wrongIssuer = new TokenMinter(api.keys().privateKey(), "someone-else", StackSettings.AUDIENCE);
        TokenMinter wrongAudience = new TokenMinter(api.keys().privateKey(), StackSettings.ISSUER, "another-api");
        TokenMinter wrongKey = TokenMinter.withThrowawayKey(StackSettings.ISSUER, StackSettings.AUDIENCE);
        TokenMinter ours = new TokenMinter(api.keys().privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        String unsigned = new PlainJWT(new PlainHeader.Builder().type(JOSEObjectType.JWT).build(), new JWTClaimsSet.Builder()
                .issuer(StackSettings.ISSUER).audience(StackSettings.AUDIENCE).subject("x").claim("tenant", tenant)
                .claim("scope", "coherence:write").expirationTime(Date.from(Instant.now().plusSeconds(600))).build()).serialize();

        SoftAssertions softly = new SoftAssertions();
        for (String[] c : new String[][] {
                {"no token", null},
                {"garbage", "not-a-jwt"},
                {"alg none", unsigned},
                {"expired", ours.mint(tenant, WRITE, Duration.ofMinutes(-5))},
                {"wrong issuer", wrongIssuer.mint(tenant, WRITE, Duration.ofMinutes(5))},
                {"wrong audience", wrongAudience.mint(tenant, WRITE, Duration.ofMinutes(5))},
                {"wrong key", wrongKey.mint(tenant, WRITE, Duration.ofMinutes(5))}}) {
            HttpResponse<String> response = api.ingest(body, c[1]);
            softly.assertThat(response.statusCode()).as(c[0]).isEqualTo(401);
        }
        for (String[] c : new String[][] {
                {"read scope only", api.token(tenant, List.of("coherence:read"))},
                {"other tenant's token", api.token("someone-else", WRITE)},
                {"token without tenant", ours.mint(tenant, WRITE, Duration.ofMinutes(5), claims -> claims.claim("tenant", null))}}) {
            HttpResponse<String> response = api.ingest(body, c[1]);
            softly.assertThat(response.statusCode()).as(c[0]).isEqualTo(403);
            softly.assertThat(CoherenceClient.json(response.body()).getJsonObject("error").getString("code")).as(c[0]).isEqualTo("FORBIDDEN");
        }
        softly.assertThat(api.signalCount(tenant)).isZero();
        softly.assertAll();
    }

    @Test
    void refusesOtherMediaTypes() {
        HttpResponse<String> response = api.ingest(signal(tenant, 0.5, Instant.now().toString()), token, "text/plain");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(CoherenceClient.json(response.body()).getJsonObject("error").getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(api.signalCount(tenant)).isZero();
    }

    private String batchOf(int n) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "" : ",").append("{\"tenantId\":\"%s\",\"type\":\"t\",\"source\":\"s\",\"value\":0.5}".formatted(tenant));
        }
        return body.append("]").toString();
    }

    private static String signal(String tenant, double value, String ts) {
        return "{\"tenantId\":\"%s\",\"type\":\"t\",\"value\":%s,\"source\":\"it\",\"ts\":\"%s\"}".formatted(tenant, value, ts);
    }

    private record BadInput(String name, String body, int status, String code, String detail) {
    }
}
