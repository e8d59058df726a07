package io.coherence.interfaces.graphql;

import static io.coherence.application.Jsons.JSON;

import graphql.ExecutionInput;
import graphql.GraphQL;
import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.ErrorStatus;
import io.coherence.interfaces.OperationOutcome;
import io.coherence.interfaces.PersistedQueryMode;
import io.coherence.interfaces.RuntimeSettings;
import jakarta.inject.Inject;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The /graphql edge: everything decided about a request before MicroProfile GraphQL runs it, and
 * the shape of what comes back.
 * <ol>
 * <li>The transport: the body is read at most {@code COHERENCE_GRAPHQL_MAX_BODY_BYTES} (413
 *     {@code PAYLOAD_TOO_LARGE}), must be one JSON object (an array: {@code BATCHED_OPERATIONS_NOT_SUPPORTED};
 *     anything else {@code MALFORMED_JSON}); GET carries {@code query}/{@code extensions} parameters
 *     and may not run a mutation ({@code MUTATION_OVER_GET}).</li>
 * <li>The request, read once ({@link GraphQLRequests}): the persisted-query decision, the
 *     prepared document, the limits and the schema. A refusal is answered here with its code's
 *     status ({@link ErrorStatus}); a subscription is sent to /graphql/ws.</li>
 * <li>Introspection in dev mode is answered from the whole API's schema ({@link ApiSchema}), so
 *     GraphiQL and code generators see the Subscription type the WebSocket endpoint serves.</li>
 * <li>The rest runs in MicroProfile GraphQL. Its answer streams through untouched unless it
 *     starts with {@code "errors"} or the score was read degraded: only then is it held and
 *     rewritten ({@link GraphQLAnswer}), with the codes the resolvers noted on the request.</li>
 * </ol>
 * In strict mode {@code /graphql/schema.graphql} is not published.
 */
public class GraphQLEdgeFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(GraphQLEdgeFilter.class.getName());
    private static final Jsonb JSONB = JsonbBuilder.create();

    static final String SCHEMA_PATH = "/graphql/schema.graphql";

    @Inject
    transient GraphQLRequests requests;

    @Inject
    transient RuntimeSettings settings;

    private transient volatile GraphQL introspection;
    private transient int maxBodyBytes;

    @Override
    public void init() {
        maxBodyBytes = ConfigProvider.getConfig().getValue("COHERENCE_GRAPHQL_MAX_BODY_BYTES", Integer.class);
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.getRequestURI().endsWith(SCHEMA_PATH)) {
            if (settings.current().persistedQueries() == PersistedQueryMode.STRICT) {
                ErrorDocuments.refuse(request, response, ErrorCode.NOT_FOUND,
                        "the schema is not published: this server runs persisted queries only (strict mode)");
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        boolean get = "GET".equals(request.getMethod());
        if (!get && !"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        HttpBody body = get ? HttpBody.ofGet(request) : HttpBody.ofPost(request, maxBodyBytes);
        if (body.refusal() != null) {
            if (body.refusal() == ErrorCode.PAYLOAD_TOO_LARGE) {
                response.setHeader("Connection", "close");
            }
            ErrorDocuments.refuse(request, response, body.refusal(), body.message());
            return;
        }
        GraphQLRequest graphql = requests.read(body.query(), body.operationName(), body.persistedQuery());
        graphql.attachTo(request);
        if (graphql.document() != null && graphql.document().document() != null) {
            OperationOutcome.graphqlOperation(request, graphql.operationType());
        }
        if (graphql.refusal().isPresent()) {
            refuse(request, response, graphql.refusal().get());
            return;
        }
        String type = graphql.operationType();
        if (get && "mutation".equals(type)) {
            // GraphQL over HTTP: GET must not change anything (a link or a prefetch would).
            response.setHeader("Allow", "POST");
            ErrorDocuments.refuse(request, response, ErrorCode.MUTATION_OVER_GET, "send mutations with POST");
            return;
        }
        if ("subscription".equals(type)) {
            ErrorDocuments.refuse(request, response, ErrorCode.OPERATION_NOT_SUPPORTED,
                    "subscriptions are served over WebSocket at /graphql/ws (graphql-transport-ws)");
            return;
        }
        deprecation(response, graphql.entry());
        if (graphql.entry() == null && graphql.introspectionOnly()) {
            answerIntrospection(response, graphql, body.variables());
            return;
        }
        run(get ? body.forGet(request, graphql) : body.forPost(request, graphql), response, chain, graphql);
    }

    /** MicroProfile GraphQL runs the request; its answer is rewritten only when it holds errors. */
    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, GraphQLRequest graphql)
            throws IOException {
        GraphQLAnswer answer = new GraphQLAnswer(response, () -> OperationOutcome.isDegraded(request));
        try {
            chain.doFilter(request, answer);
        } catch (IOException | ServletException | RuntimeException | LinkageError e) {
            if (isRuntimeValidationDefect(e)) {
                ErrorDocuments.refuse(request, response, ErrorCode.GRAPHQL_VALIDATION_FAILED,
                        "the operation does not match the schema: check field and argument names and variable types");
                return;
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "GraphQL request failed, incident " + incident, e);
            ErrorDocuments.write(request, response, 200, ErrorCode.INTERNAL, ErrorDocuments.graphqlAnswer(
                    List.of(ErrorDocuments.graphql(ErrorCode.INTERNAL, "internal error, incident " + incident))));
            return;
        }
        answer.finish(graphql, OperationOutcome.isDegraded(request), request);
    }

    private static void refuse(HttpServletRequest request, HttpServletResponse response, GraphQLRequest.Refusal refusal)
            throws IOException {
        if (refusal.code() == ErrorCode.PERSISTED_QUERY_NOT_FOUND) {
            // Apollo's answer: the client retries with the document; caches must not keep this one.
            response.setHeader("Cache-Control", "private, no-cache, must-revalidate");
        }
        ErrorDocuments.write(request, response, ErrorStatus.of(refusal.code()), refusal.code(),
                ErrorDocuments.graphqlAnswer(refusal.errors()));
    }

    /** RFC 9745 Deprecation and RFC 8594 Sunset on answers from a retiring persisted query. */
    private static void deprecation(HttpServletResponse response, PersistedQueryCatalog.Entry entry) {
        if (entry == null || entry.deprecated() == null) {
            return;
        }
        response.setHeader("Deprecation", entry.deprecationHeader());
        if (entry.sunset() != null) {
            response.setHeader("Sunset", entry.sunsetHeader());
        }
    }

    private void answerIntrospection(HttpServletResponse response, GraphQLRequest graphql, JsonObject variables)
            throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = variables == null ? Map.of() : JSONB.fromJson(variables.toString(), Map.class);
        Map<String, Object> answer = graphQL().execute(ExecutionInput.newExecutionInput()
                .query(graphql.document().text()).operationName(graphql.operationName()).variables(vars).build())
                .toSpecification();
        byte[] bytes = JSONB.toJson(answer).getBytes(StandardCharsets.UTF_8);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private GraphQL graphQL() {
        GraphQL g = introspection;
        if (g == null) {
            g = GraphQL.newGraphQL(ApiSchema.get()).build();
            introspection = g;
        }
        return g;
    }

    /**
     * Open Liberty 26.0.0.3's SmallRye GraphQL fails with NoSuchMethodError while formatting any
     * graphql-java validation error. The edge validates every document first, so this is a last
     * line: should one slip through, it is answered as the validation failure it is.
     */
    private static boolean isRuntimeValidationDefect(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchMethodError && String.valueOf(t.getMessage()).contains("getValidationErrorType")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** Parses a JSON object, or null when the text is not one. */
    static JsonObject jsonObject(String text) {
        try {
            try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                return reader.readValue() instanceof JsonObject o ? o : null;
            }
        } catch (JsonException e) {
            return null;
        }
    }

    static String string(JsonObject json, String key) {
        return json != null && json.get(key) instanceof JsonString s ? s.getString() : null;
    }
}
