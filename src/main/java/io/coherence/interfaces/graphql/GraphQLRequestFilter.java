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
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Everything decided about a /graphql request before MicroProfile GraphQL runs it: the body is
 * read at most {@code COHERENCE_GRAPHQL_MAX_BODY_BYTES} (413 {@code PAYLOAD_TOO_LARGE}); a JSON
 * array (batched operations) is refused; the document must pass {@link GraphQLLimits} (400 with
 * the limit's code); and introspection is answered from the whole API's schema ({@link ApiSchema}),
 * so GraphiQL and code generators see the Subscription type the WebSocket endpoint serves next to
 * the query and mutation. Every other request goes on unchanged.
 */
public class GraphQLRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Jsonb JSONB = JsonbBuilder.create();

    private transient volatile GraphQL introspection;
    private transient GraphQLLimits limits;
    private transient int maxBodyBytes;

    /** Read once: every /graphql request, the hot read path included, passes through here. */
    @Override
    public void init() {
        limits = GraphQLLimits.fromConfig();
        maxBodyBytes = ConfigProvider.getConfig().getValue("COHERENCE_GRAPHQL_MAX_BODY_BYTES", Integer.class);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if ("GET".equals(request.getMethod())) {
            String query = request.getParameter("query");
            Optional<GraphQLLimits.Refusal> refusal = query == null ? Optional.empty()
                    : refusal(query, request.getParameter("operationName"));
            if (refusal.isPresent()) {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, refusal.get().code(), refusal.get().message());
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        int max = maxBodyBytes;
        byte[] body = request.getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            response.setHeader("Connection", "close");
            refuse(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "the request body exceeds " + max + " bytes");
            return;
        }
        JsonObject json = requestObject(body);
        if (json == null || !(json.get("query") instanceof JsonString query)) {
            if (json == null && startsWithBracket(body)) {
                refuse(response, HttpServletResponse.SC_BAD_REQUEST, "BATCHED_OPERATIONS_NOT_SUPPORTED",
                        "send one operation per request, not an array of them");
                return;
            }
            // Not a GraphQL request object: MicroProfile GraphQL answers it (MALFORMED_JSON and the like).
            chain.doFilter(new ReplayedRequest(request, body), response);
            return;
        }
        String operationName = json.get("operationName") instanceof JsonString n ? n.getString() : null;
        Optional<GraphQLLimits.Refusal> refusal = refusal(query.getString(), operationName);
        if (refusal.isPresent()) {
            refuse(response, HttpServletResponse.SC_BAD_REQUEST, refusal.get().code(), refusal.get().message());
            return;
        }
        Map<String, Object> answer = introspect(json, operationName);
        if (answer != null) {
            byte[] bytes = JSONB.toJson(answer).getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        chain.doFilter(new ReplayedRequest(request, body), response);
    }

    /** A limit the document breaks; none when it cannot be parsed (/graphql then reports that). */
    private Optional<GraphQLLimits.Refusal> refusal(String query, String operationName) {
        Optional<GraphQLLimits.Refusal> tooLarge = limits.checkSize(query);
        if (tooLarge.isPresent()) {
            return tooLarge;
        }
        try {
            return limits.check(Parser.parse(query), operationName);
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    private static JsonObject requestObject(byte[] body) {
        try {
            JsonValue value = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readValue();
            return value instanceof JsonObject o ? o : null;
        } catch (JsonException e) {
            return null;
        }
    }

    private static boolean startsWithBracket(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
    }

    private static void refuse(HttpServletResponse response, int status, String code, String message)
            throws IOException {
        byte[] bytes = Json.createObjectBuilder().add("errors", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("message", message).add("extensions", Json.createObjectBuilder().add("code", code))))
                .build().toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** The answer when the request is one introspection-only operation; null to let /graphql run it. */
    private Map<String, Object> introspect(JsonObject request, String operationName) {
        String text = request.getString("query");
        // Cheap test first: the read path must not pay for a second look.
        if (!text.contains("__schema") && !text.contains("__type")) {
            return null;
        }
        Document document;
        try {
            document = Parser.parse(text);
        } catch (InvalidSyntaxException e) {
            return null;
        }
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
