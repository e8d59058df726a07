package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.LoweredTenantRate;
import io.coherence.testsupport.ServerVariables;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Rate limits on the running server, lowered as an operator would (configDropins variables, no
 * restart): over a limit every entry point answers 429 RATE_LIMITED with Retry-After and changes
 * nothing; other tenants are not affected by one tenant's limit. The test server keeps its
 * buckets in the embedded Redis.
 */
@TestServerIT
class RateLimitIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CoherenceClient api = CoherenceClient.forTestServer();

    private static String tenant() {
        return "it-rate-" + UUID.randomUUID();
    }

    private String token(String tenant) {
        return api.token(tenant, CoherenceClient.READ_WRITE);
    }

    private int read(String tenant, String token) {
        return api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode();
    }

    private static String signals(String tenant, int count, int from) {
        return IntStream.range(from, from + count).mapToObj(i -> "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":"
                + (i % 100) / 100.0 + ",\"source\":\"it\",\"signalId\":\"s-" + i + "\"}").collect(Collectors.joining(",", "[", "]"));
    }

    private boolean tenantLimitIsOff() {
        String probe = tenant();
        String token = token(probe);
        return IntStream.range(0, 8).allMatch(i -> read(probe, token) == 200);
    }

    @Test
    void aTenantOverItsRequestRateGets429OnEveryEntryPointAndOthersDoNot() {
        try (LoweredTenantRate low = LoweredTenantRate.to(api, 4)) {
            String tenant = tenant();
            String token = token(tenant);
            for (int i = 0; i < 4; i++) {
                assertThat(read(tenant, token)).isEqualTo(200);
            }

            HttpResponse<String> graphql = api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token);
            assertThat(graphql.statusCode()).isEqualTo(429);
            assertThat(graphql.headers().firstValue("Retry-After")).hasValue("1");
            JsonObject error = CoherenceClient.json(graphql.body()).getJsonArray("errors").getJsonObject(0);
            assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("RATE_LIMITED");
            assertThat(error.getString("message")).contains("requests per second of tenant");

            HttpResponse<String> ingest = api.ingest(signals(tenant, 1, 0), token);
            assertThat(ingest.statusCode()).isEqualTo(429);
            assertThat(ingest.headers().firstValue("Retry-After")).isPresent();
            assertThat(CoherenceClient.json(ingest.body()).getJsonObject("error").getString("code")).isEqualTo("RATE_LIMITED");

            String other = tenant();
            assertThat(read(other, token(other))).as("another tenant").isEqualTo(200);
            assertThat(api.signalCount(tenant)).as("nothing was written").isZero();
        }
    }

    @Test
    void aWebSocketSubscribeOverTheTenantsRateAnswersRateLimited() {
        try (LoweredTenantRate low = LoweredTenantRate.to(api, 4)) {
            String tenant = tenant();
            try (GraphQLWsClient ws = GraphQLWsClient.ready(api.subscriptions(), token(tenant))) {
                List<JsonObject> answers = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    ws.subscribe("s" + i, "subscribe-scores.graphql", Map.of("t", tenant));
                    ws.complete("s" + i);
                }
                answers.addAll(ws.drainUntilPong(WAIT));
                assertThat(answers).anySatisfy(m -> {
                    assertThat(m.getString("type")).isEqualTo("error");
                    assertThat(m.toString()).contains("RATE_LIMITED");
                });
                assertThat(ws.closed()).isNotDone();
            }
        }
    }

    @Test
    void theGlobalLimitRefusesEveryoneOverItAndLeavesHealthAlone() {
        try (ServerVariables low = ServerVariables.set("rate-global", Map.of("CONDUCTOR_RPS_MAX", "3"))) {
            Eventually.await("the global limit is 3/s", WAIT, () -> IntStream.range(0, 10)
                    .map(i -> api.get("/graphql/schema.graphql").statusCode()).anyMatch(s -> s == 429));
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String tenant = tenant();
                answers.add(api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token(tenant)));
            }
            List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() == 429).toList();
            assertThat(refused).hasSizeGreaterThanOrEqualTo(5);
            assertThat(refused.get(0).body()).contains("RATE_LIMITED", "global requests per second");
            assertThat(refused.get(0).headers().firstValue("Retry-After")).hasValue("1");
            assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
        } finally {
            Eventually.await("the global limit is back to its default", WAIT, this::tenantLimitIsOff);
        }
    }

    @Test
    void aTenantOverItsSignalRateGets429AndTheBatchIsNotWritten() {
        try (ServerVariables low = ServerVariables.set("rate-signals", Map.of(
                "COHERENCE_INGEST_TENANT_SIGNALS_PER_SECOND", "1", "COHERENCE_INGEST_TENANT_SIGNALS_BURST", "1000"))) {
            String tenant = tenant();
            String token = token(tenant);
            // Until the new limit applies, 600 signals pass each time; once it does, at most one more 600 does.
            int written = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            HttpResponse<String> refused = null;
            long lastAcceptedSent = 0;
            long refusedAnswered = 0;
            while (refused == null && System.nanoTime() < deadline) {
                long sent = System.nanoTime();
                HttpResponse<String> answer = api.ingest(signals(tenant, 600, written), token);
                assertThat(answer.statusCode()).as(answer.body()).isIn(202, 429);
                if (answer.statusCode() == 429) {
                    refused = answer;
                    refusedAnswered = System.nanoTime();
                } else {
                    written += 600;
                    lastAcceptedSent = sent;
                }
            }
            assertThat(refused).as("the signal limit applied").isNotNull();
            assertThat(CoherenceClient.json(refused.body()).getJsonObject("error").getString("code")).isEqualTo("RATE_LIMITED");
            assertThat(refused.body()).contains("signals per second of tenant");
            // 200 tokens short at 1/s, less what refilled between the last accepted batch and the refusal
            // (seconds on a loaded machine).
            long refilled = (long) Math.ceil((refusedAnswered - lastAcceptedSent) / 1e9);
            assertThat(written).isPositive();
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(198L - refilled, 201L);
            assertThat(api.signalCount(tenant)).isEqualTo(written);
        }
    }
}
