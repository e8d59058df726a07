package io.coherence.infrastructure.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.coherence.domain.policy.Decision;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OPA client against a local HTTP server that answers as OPA's Data API does
 * ({@code {"result": …}}): the request it sends for each row of the decision table must carry
 * exactly that row's input, and the answer must become the row's decision.
 */
class OpaPolicyDecisionPointTest {

    private HttpServer server;
    private final Map<String, JsonObject> answers = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> rawAnswer = new AtomicReference<>();
    private volatile int status = 200;
    private volatile long delayMillis;

    @BeforeEach
    void startOpa() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/data/graphql/decision", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            requests.add(exchange.getRequestMethod() + " " + body);
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            JsonObject input = Json.createReader(new java.io.StringReader(body)).readObject().getJsonObject("input");
            JsonObject decision = answers.get(input.toString());
            String answer = rawAnswer.get() != null ? rawAnswer.get()
                    : decision == null ? "{}" : Json.createObjectBuilder().add("result", decision).build().toString();
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stopOpa() {
        server.stop(0);
    }

    /** A client whose timeout no answer of the local stand-in misses, even on a busy machine. */
    private OpaPolicyDecisionPoint client(Duration cacheTtl) {
        return client(cacheTtl, Duration.ofSeconds(5));
    }

    private OpaPolicyDecisionPoint client(Duration cacheTtl, Duration timeout) {
        return new OpaPolicyDecisionPoint("http://127.0.0.1:" + server.getAddress().getPort() + "/",
                "graphql/decision", timeout, cacheTtl);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> table() {
        return DecisionTable.arguments();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void eachRowIsAskedWithItsInputAndAnsweredWithItsDecision(String name, JsonObject input, JsonObject expect) {
        answers.put(input.toString(), expect);

        Decision decision = client(Duration.ofSeconds(1)).decide(PolicyInputJson.fromJson(input));

        assertThat(decision).isEqualTo(new Decision(expect.getBoolean("allow"), expect.getString("rule")));
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).startsWith("POST ");
    }

    @Test
    void anUndefinedDecisionDenies() {
        JsonObject input = DecisionTable.rows().get(0).getJsonObject("input");

        assertThat(client(Duration.ofSeconds(1)).decide(PolicyInputJson.fromJson(input)))
                .isEqualTo(Decision.deny("opa_undefined_decision"));
    }

    @Test
    void theSameQuestionWithinTheCacheTtlIsAskedOnce() {
        JsonObject row = DecisionTable.rows().get(0);
        answers.put(row.getJsonObject("input").toString(), row.getJsonObject("expect"));
        OpaPolicyDecisionPoint opa = client(Duration.ofMinutes(1));

        opa.decide(PolicyInputJson.fromJson(row.getJsonObject("input")));
        opa.decide(PolicyInputJson.fromJson(row.getJsonObject("input")));

        assertThat(requests).hasSize(1);
    }

    @Test
    void anOpaThatFailsIsAnErrorTheFallbackTurnsIntoADenial() {
        status = 500;
        rawAnswer.set("{\"code\":\"internal_error\"}");
        OpaPolicyDecisionPoint opa = client(Duration.ofSeconds(1));
        var input = PolicyInputJson.fromJson(DecisionTable.rows().get(0).getJsonObject("input"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> opa.decide(input))
                .isInstanceOf(OpaPolicyDecisionPoint.OpaUnavailable.class).hasMessageContaining("500");
        assertThat(opa.failClosed(input)).isEqualTo(Decision.deny("opa_unavailable"));
    }

    @Test
    void anOpaSlowerThanTheTimeoutIsUnavailable() {
        delayMillis = 2_000;
        OpaPolicyDecisionPoint opa = client(Duration.ofSeconds(1), Duration.ofMillis(500));
        var input = PolicyInputJson.fromJson(DecisionTable.rows().get(0).getJsonObject("input"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> opa.decide(input))
                .isInstanceOf(OpaPolicyDecisionPoint.OpaUnavailable.class);
    }
}
