package io.coherence.interfaces.graphql;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Answers introspection at /graphql from the whole API's schema ({@link ApiSchema}), so GraphiQL
 * and code generators see the Subscription type that the WebSocket endpoint serves next to the
 * query and mutation MicroProfile GraphQL serves. Every other request goes on unchanged. Reading
 * the body to look at it is bounded: a body over {@code COHERENCE_GRAPHQL_MAX_BODY_BYTES} answers
 * 413 {@code PAYLOAD_TOO_LARGE} and is not read further.
 */
public class IntrospectionFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Jsonb JSONB = JsonbBuilder.create();

    private transient volatile GraphQL introspection;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        int max = ConfigProvider.getConfig().getValue("COHERENCE_GRAPHQL_MAX_BODY_BYTES", Integer.class);
        byte[] body = request.getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            byte[] json = ("{\"errors\":[{\"message\":\"the request body exceeds " + max
                    + " bytes\",\"extensions\":{\"code\":\"PAYLOAD_TOO_LARGE\"}}]}").getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setHeader("Connection", "close");
            response.setContentType("application/json");
            response.setContentLength(json.length);
            response.getOutputStream().write(json);
            return;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        // Cheap test first: the read path must not pay for parsing.
        if (text.contains("__schema") || text.contains("__type")) {
            Map<String, Object> answer = introspect(text);
            if (answer != null) {
                byte[] json = JSONB.toJson(answer).getBytes(StandardCharsets.UTF_8);
                response.setStatus(HttpServletResponse.SC_OK);
                response.setContentType("application/json");
                response.setContentLength(json.length);
                response.getOutputStream().write(json);
                return;
            }
        }
        chain.doFilter(new ReplayedRequest(request, body), response);
    }

    /** The answer when the request is one introspection-only operation; null to let /graphql run it. */
    private Map<String, Object> introspect(String body) {
        JsonObject request;
        Document document;
        try {
            JsonValue value = Json.createReader(new StringReader(body)).readValue();
            if (!(value instanceof JsonObject o) || !(o.get("query") instanceof JsonString query)) {
                return null;
            }
            request = o;
            document = Parser.parse(query.getString());
        } catch (JsonException | InvalidSyntaxException e) {
            return null;
        }
        String operationName = request.get("operationName") instanceof JsonString n ? n.getString() : null;
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        OperationDefinition operation = operations.stream()
                .filter(o -> operationName == null ? operations.size() == 1 : operationName.equals(o.getName()))
                .findFirst().orElse(null);
        if (operation == null || !ApiSchema.onlyIntrospection(operation)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = request.get("variables") instanceof JsonObject v
                ? JSONB.fromJson(v.toString(), Map.class) : Map.of();
        return graphQL().execute(ExecutionInput.newExecutionInput().query(request.getString("query"))
                .operationName(operationName).variables(variables).build()).toSpecification();
    }

    private GraphQL graphQL() {
        GraphQL g = introspection;
        if (g == null) {
            g = GraphQL.newGraphQL(ApiSchema.get()).build();
            introspection = g;
        }
        return g;
    }

    /** The request with its body, already read here, readable again. */
    private static final class ReplayedRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReplayedRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
