package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The answer streams through unless it holds errors or was read degraded; then it is rewritten. */
class GraphQLAnswerTest {

    private static final String DATA = "{\"data\":{\"tenantCoherence\":{\"score\":0.5,\"status\":\"WARN\"}}}";

    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private final Map<String, Object> attributes = new HashMap<>();
    private final HttpServletRequest request = request(attributes);

    @ParameterizedTest(name = "written {0} bytes at a time")
    @ValueSource(ints = {1, 3, 8, 1000})
    void aSuccessfulAnswerReachesTheClientAsItIsWrittenUntouched(int chunk) throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> false);

        write(answer, DATA, chunk);

        // Already with the client before the GraphQL runtime is done: nothing is held.
        assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo(DATA);
        answer.finish(null, false, request);
        assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo(DATA);
    }

    @ParameterizedTest(name = "written {0} bytes at a time")
    @ValueSource(ints = {1, 4, 9, 1000})
    void anAnswerWithErrorsIsHeldAndGetsTheCodeTheResolverNoted(int chunk) throws IOException {
        GraphQLRequest graphql = new GraphQLRequest(null, null, null, null, false);
        graphql.raised(ErrorCode.BAD_USER_INPUT, "input is invalid",
                List.of(new Violation(null, "value", "OUT_OF_RANGE", "must be within [0, 1]")));
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> false);

        write(answer, "{\"errors\":[{\"message\":\"input is invalid\",\"path\":[\"publishCoherenceSignal\"],"
                + "\"extensions\":{\"exception\":\"io.coherence.interfaces.graphql.GraphQLRefusal\","
                + "\"classification\":\"DataFetchingException\"}}],\"data\":null}", chunk);
        assertThat(client.size()).as("held until the runtime is done").isZero();
        answer.finish(graphql, false, request);

        JsonObject error = json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).isEqualTo("input is invalid");
        assertThat(error.getJsonArray("path").getString(0)).isEqualTo("publishCoherenceSignal");
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("BAD_USER_INPUT");
        assertThat(error.getJsonObject("extensions").getJsonArray("violations").getJsonObject(0).getString("field"))
                .isEqualTo("input.value");
        assertThat(client.toString(StandardCharsets.UTF_8)).doesNotContain("GraphQLRefusal", "DataFetchingException");
        assertThat(attributes).containsValue("BAD_USER_INPUT");
    }

    @Test
    void anErrorNoResolverRaisedSaysNothingOfItsCause() throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> false);

        write(answer, "{\"errors\":[{\"message\":\"java.lang.NullPointerException at x.y\"}],\"data\":null}", 1000);
        answer.finish(new GraphQLRequest(null, null, null, null, false), false, request);

        JsonObject error = json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("message")).isEqualTo("internal error");
        assertThat(error.getJsonObject("extensions").getString("code")).isEqualTo("INTERNAL");
    }

    @Test
    void aVariableTheRuntimeCouldNotCoerceIsBadUserInput() throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> false);

        write(answer, "{\"errors\":[{\"message\":\"Variable 'tenantId' has an invalid value\"}],\"data\":null}", 1000);
        answer.finish(new GraphQLRequest(null, null, null, null, false), false, request);

        assertThat(json().getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code"))
                .isEqualTo("BAD_USER_INPUT");
    }

    @Test
    void aDegradedReadIsHeldAndMarked() throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> true);

        write(answer, DATA, 5);
        assertThat(client.size()).isZero();
        answer.finish(new GraphQLRequest(null, null, null, null, false), true, request);

        JsonObject answered = json();
        assertThat(answered.getJsonObject("data").getJsonObject("tenantCoherence").getString("status")).isEqualTo("WARN");
        assertThat(answered.getJsonObject("extensions").getJsonObject("degraded").getString("servedFrom")).isEqualTo("neo4j");
    }

    @Test
    void aShortAnswerIsDecidedWhenTheRuntimeIsDone() throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response(client), () -> false);

        write(answer, "{\"e", 1000);
        answer.finish(null, false, request);

        assertThat(client.toString(StandardCharsets.UTF_8)).isEqualTo("{\"e");
    }

    private JsonObject json() {
        return Json.createReader(new StringReader(client.toString(StandardCharsets.UTF_8))).readObject();
    }

    private static void write(GraphQLAnswer answer, String text, int chunk) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ServletOutputStream out = answer.getOutputStream();
        for (int i = 0; i < bytes.length; i += chunk) {
            out.write(bytes, i, Math.min(chunk, bytes.length - i));
        }
        out.flush();
    }

    private static HttpServletRequest request(Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(GraphQLAnswerTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> null;
                });
    }

    private static HttpServletResponse response(ByteArrayOutputStream sink) {
        ServletOutputStream stream = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }

            @Override
            public void write(int b) {
                sink.write(b);
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(GraphQLAnswerTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getOutputStream" -> stream;
                    case "getStatus" -> 200;
                    default -> null;
                });
    }
}
