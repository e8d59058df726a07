package io.coherence.interfaces.graphql;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.coherence.interfaces.ApiRefusals;
import io.coherence.interfaces.OperationOutcome;
import jakarta.inject.Inject;
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
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Everything decided about a /graphql request before MicroProfile GraphQL runs it: the body is
 * read at most {@code COHERENCE_GRAPHQL_MAX_BODY_BYTES} (413 {@code PAYLOAD_TOO_LARGE}); a JSON
 * array (batched operations) is refused; the persisted-query rules pick the document to run
 * ({@link PersistedQueries}: Apollo's protocol, strict or dev mode, Deprecation/Sunset headers);
 * the document must pass {@link GraphQLLimits} (400 with the limit's code); and in dev mode
 * introspection is answered from the whole API's schema ({@link ApiSchema}), so GraphiQL and code
 * generators see the Subscription type the WebSocket endpoint serves next to the query and
 * mutation. In strict mode {@code /graphql/schema.graphql} is not published either.
 */
public class GraphQLRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Jsonb JSONB = JsonbBuilder.create();

    static final String SCHEMA_PATH = "/graphql/schema.graphql";

    @Inject
    transient PersistedQueryRegistry registry;

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
        if (request.getRequestURI().endsWith(SCHEMA_PATH)) {
            if (registry.mode() == PersistedQueries.Mode.STRICT) {
                refuse(request, response, HttpServletResponse.SC_NOT_FOUND, "INTROSPECTION_DISABLED",
                        "the schema is not published: this server runs persisted queries only (strict mode)");
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if ("GET".equals(request.getMethod())) {
            get(request, response, chain);
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
            refuse(request, response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "PAYLOAD_TOO_LARGE",
                    "the request body exceeds " + max + " bytes");
            return;
        }
        JsonObject json = requestObject(body);
        JsonValue queryValue = json == null ? null : json.get("query");
        if (json == null || queryValue != null && queryValue != JsonValue.NULL && !(queryValue instanceof JsonString)) {
            if (json == null && startsWithBracket(body)) {
                refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, "BATCHED_OPERATIONS_NOT_SUPPORTED",
                        "send one operation per request, not an array of them");
                return;
            }
            // Not a GraphQL request object: MicroProfile GraphQL answers it (MALFORMED_JSON and the like).
            chain.doFilter(new ReplayedRequest(request, body), response);
            return;
        }
        String query = queryValue instanceof JsonString q ? q.getString() : null;
        JsonValue persistedQuery = json.get("extensions") instanceof JsonObject e ? e.get("persistedQuery") : null;
        PersistedQueries.Resolution resolution = registry.resolve(query, persistedQuery);
        if (resolution == null) {
            chain.doFilter(new ReplayedRequest(request, body), response);
            return;
        }
        if (!(resolution instanceof PersistedQueries.Run run)) {
            refuse(request, response, (PersistedQueries.Refused) resolution);
            return;
        }
        String operationName = json.get("operationName") instanceof JsonString n ? n.getString() : null;
        Optional<GraphQLLimits.Refusal> refusal = refusal(request, run.document(), operationName);
        if (refusal.isPresent()) {
            refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, refusal.get().code(), refusal.get().message());
            return;
        }
        deprecation(response, run.entry());
        Map<String, Object> answer = run.entry() == null ? introspect(json, run.document(), operationName) : null;
        if (answer != null) {
            byte[] bytes = JSONB.toJson(answer).getBytes(StandardCharsets.UTF_8);
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
            return;
        }
        if (persistedQuery != null || !run.document().equals(query)) {
            // What MicroProfile GraphQL runs: the resolved document, without the protocol's extension.
            body = Json.createObjectBuilder(json).remove("extensions").add("query", run.document()).build()
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        chain.doFilter(new ReplayedRequest(request, body), response);
    }

    /** GET /graphql?query=…&extensions=…: Apollo sends hashed queries this way when told to. */
    private void get(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String query = request.getParameter("query");
        String extensions = request.getParameter("extensions");
        JsonValue persistedQuery = null;
        if (extensions != null) {
            JsonObject parsed = requestObject(extensions.getBytes(StandardCharsets.UTF_8));
            if (parsed == null) {
                refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, "MALFORMED_JSON",
                        "the extensions parameter is not a JSON object");
                return;
            }
            persistedQuery = parsed.get("persistedQuery");
        }
        PersistedQueries.Resolution resolution = registry.resolve(query, persistedQuery);
        if (resolution == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!(resolution instanceof PersistedQueries.Run run)) {
            refuse(request, response, (PersistedQueries.Refused) resolution);
            return;
        }
        String operationName = request.getParameter("operationName");
        Optional<GraphQLLimits.Refusal> refusal = refusal(request, run.document(), operationName);
        if (refusal.isPresent()) {
            refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, refusal.get().code(), refusal.get().message());
            return;
        }
        if ("mutation".equals(OperationOutcome.graphqlOperation(request))) {
            // GraphQL over HTTP: GET must not change anything (a link or a prefetch would).
            response.setHeader("Allow", "POST");
            refuse(request, response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "MUTATION_OVER_GET", "send mutations with POST");
            return;
        }
        deprecation(response, run.entry());
        chain.doFilter(persistedQuery == null ? request : new ResolvedQuery(request, run.document()), response);
    }

    /** RFC 9745 Deprecation and RFC 8594 Sunset on answers from a retiring persisted query. */
    private static void deprecation(HttpServletResponse response, PersistedQueries.Entry entry) {
        if (entry == null || entry.deprecated() == null) {
            return;
        }
        response.setHeader("Deprecation", entry.deprecationHeader());
        if (entry.sunset() != null) {
            response.setHeader("Sunset", entry.sunsetHeader());
        }
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, PersistedQueries.Refused refused) throws IOException {
        if ("PERSISTED_QUERY_NOT_FOUND".equals(refused.code())) {
            // Apollo's answer: the client retries with the document; caches must not keep this one.
            response.setHeader("Cache-Control", "private, no-cache, must-revalidate");
        }
        refuse(request, response, refused.httpStatus(), refused.code(), refused.message());
    }

    /**
     * A limit the document breaks; none when it cannot be parsed (/graphql then reports that). The
     * size comes first, so an oversized document is never parsed; a parsed one also tells the
     * metrics filter its operation type (one parse for both).
     */
    private Optional<GraphQLLimits.Refusal> refusal(HttpServletRequest request, String query, String operationName) {
        Optional<GraphQLLimits.Refusal> tooLarge = limits.checkSize(query);
        if (tooLarge.isPresent()) {
            return tooLarge;
        }
        Document document;
        try {
            document = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return Optional.empty();
        }
        OperationOutcome.graphqlOperation(request, GraphQLMetricsFilter.operationType(document, operationName));
        return limits.check(document, operationName);
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

    private static void refuse(HttpServletRequest request, HttpServletResponse response, int status, String code,
                               String message) throws IOException {
        ApiRefusals.graphql(request, response, status, code, message);
    }

    /** The answer when the request is one introspection-only operation; null to let /graphql run it. */
    private Map<String, Object> introspect(JsonObject request, String text, String operationName) {
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
        OperationDefinition operation = ApiSchema.selectedOperation(document, operationName);
        if (operation == null || !ApiSchema.onlyIntrospection(operation)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = request.get("variables") instanceof JsonObject v
                ? JSONB.fromJson(v.toString(), Map.class) : Map.of();
        return graphQL().execute(ExecutionInput.newExecutionInput().query(text)
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

    /** A GET request whose {@code query} parameter is the persisted document its hash names. */
    private static final class ResolvedQuery extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;

        ResolvedQuery(HttpServletRequest request, String document) {
            super(request);
            Map<String, String[]> p = new LinkedHashMap<>(request.getParameterMap());
            p.remove("extensions");
            p.put("query", new String[] {document});
            parameters = Collections.unmodifiableMap(p);
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null || values.length == 0 ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return parameters;
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }
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
