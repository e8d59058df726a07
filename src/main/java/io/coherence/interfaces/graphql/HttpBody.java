package io.coherence.interfaces.graphql;

import static io.coherence.application.Jsons.JSON;

import io.coherence.application.ErrorCode;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an HTTP request to /graphql carries, read once: a POST body (bounded, one JSON object) or
 * GET parameters, as the query, operation name, variables and persisted-query extension; or why
 * it cannot be read. It also hands MicroProfile GraphQL the request it runs: the body as read, or
 * with the document a persisted-query hash resolved to.
 */
final class HttpBody {

    private final byte[] raw;
    private final JsonObject json;
    private final String query;
    private final String operationName;
    private final JsonObject variables;
    private final JsonValue persistedQuery;
    private final ErrorCode refusal;
    private final String message;

    private HttpBody(byte[] raw, JsonObject json, String query, String operationName, JsonObject variables,
                     JsonValue persistedQuery, ErrorCode refusal, String message) {
        this.raw = raw;
        this.json = json;
        this.query = query;
        this.operationName = operationName;
        this.variables = variables;
        this.persistedQuery = persistedQuery;
        this.refusal = refusal;
        this.message = message;
    }

    private static HttpBody refused(ErrorCode code, String message) {
        return new HttpBody(null, null, null, null, null, null, code, message);
    }

    static HttpBody ofPost(HttpServletRequest request, int maxBytes) throws IOException {
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            return refused(ErrorCode.PAYLOAD_TOO_LARGE, "the request body exceeds " + maxBytes + " bytes");
        }
        JsonObject json = GraphQLEdgeFilter.jsonObject(new String(body, StandardCharsets.UTF_8));
        if (json == null) {
            return startsWithBracket(body)
                    ? refused(ErrorCode.BATCHED_OPERATIONS_NOT_SUPPORTED, "send one operation per request, not an array of them")
                    : refused(ErrorCode.MALFORMED_JSON, "the request body is not valid JSON");
        }
        for (String key : new String[] {"query", "operationName"}) {
            if (!absentOr(json.get(key), JsonString.class)) {
                return refused(ErrorCode.BAD_REQUEST, key + " must be a string");
            }
        }
        JsonValue extensions = json.get("extensions");
        if (!absentOr(json.get("variables"), JsonObject.class) || !absentOr(extensions, JsonObject.class)) {
            return refused(ErrorCode.BAD_REQUEST, "variables and extensions must be JSON objects");
        }
        return new HttpBody(body, json, GraphQLEdgeFilter.string(json, "query"), GraphQLEdgeFilter.string(json, "operationName"),
                json.get("variables") instanceof JsonObject v ? v : null,
                extensions instanceof JsonObject e ? e.get("persistedQuery") : null, null, null);
    }

    /** GET /graphql?query=…&extensions=…: Apollo sends hashed queries this way when told to. */
    static HttpBody ofGet(HttpServletRequest request) {
        JsonValue persistedQuery = null;
        String extensions = request.getParameter("extensions");
        if (extensions != null) {
            JsonObject parsed = GraphQLEdgeFilter.jsonObject(extensions);
            if (parsed == null) {
                return refused(ErrorCode.MALFORMED_JSON, "the extensions parameter is not a JSON object");
            }
            persistedQuery = parsed.get("persistedQuery");
        }
        JsonObject variables = null;
        String vars = request.getParameter("variables");
        if (vars != null) {
            variables = GraphQLEdgeFilter.jsonObject(vars);
            if (variables == null) {
                return refused(ErrorCode.MALFORMED_JSON, "the variables parameter is not a JSON object");
            }
        }
        return new HttpBody(null, null, request.getParameter("query"), request.getParameter("operationName"), variables,
                persistedQuery, null, null);
    }

    private static boolean absentOr(JsonValue value, Class<? extends JsonValue> type) {
        return value == null || value == JsonValue.NULL || type.isInstance(value);
    }

    ErrorCode refusal() {
        return refusal;
    }

    String message() {
        return message;
    }

    String query() {
        return query;
    }

    String operationName() {
        return operationName;
    }

    JsonObject variables() {
        return variables;
    }

    JsonValue persistedQuery() {
        return persistedQuery;
    }

    /** The POST MicroProfile GraphQL runs: the resolved document, without the protocol's extension. */
    HttpServletRequest forPost(HttpServletRequest request, GraphQLRequest graphql) {
        byte[] body = raw;
        if (persistedQuery != null || graphql.resolvedByHash()) {
            body = JSON.createObjectBuilder(json).remove("extensions").add("query", graphql.document().text()).build()
                    .toString().getBytes(StandardCharsets.UTF_8);
        }
        return new ReplayedRequest(request, body);
    }

    /** The GET MicroProfile GraphQL runs: the {@code query} parameter is the document a hash named. */
    HttpServletRequest forGet(HttpServletRequest request, GraphQLRequest graphql) {
        return persistedQuery == null ? request : new ResolvedQuery(request, graphql.document().text());
    }

    private static boolean startsWithBracket(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '[';
            }
        }
        return false;
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
