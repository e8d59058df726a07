package io.coherence.interfaces.graphql;

import io.coherence.interfaces.OperationOutcome;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives every GraphQL error one shape: {@code extensions.code} (UNAUTHENTICATED, FORBIDDEN,
 * BAD_USER_INPUT, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, INTERNAL) plus
 * {@code extensions.violations} for refused input, and nothing internal: no exception class
 * names, no stack traces, also when the GraphQL runtime itself fails.
 */
public class GraphQLErrorFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(GraphQLErrorFilter.class.getName());

    @Inject
    transient GraphQLErrorCodes refusals;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        BufferedResponse buffered = new BufferedResponse(response);
        try {
            chain.doFilter(request, buffered);
        } catch (IOException | ServletException | RuntimeException | LinkageError e) {
            if (causedBy(e, JsonException.class)) {
                write(request, response, HttpServletResponse.SC_BAD_REQUEST,
                        errorDocument("the request body is not valid JSON", "MALFORMED_JSON"));
                return;
            }
            if (isRuntimeValidationDefect(e)) {
                write(request, response, HttpServletResponse.SC_OK, errorDocument(
                        "the operation does not match the schema: check field and argument names and variable types",
                        "GRAPHQL_VALIDATION_FAILED"));
                return;
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "GraphQL request failed, incident " + incident, e);
            write(request, response, HttpServletResponse.SC_OK, errorDocument("internal error, incident " + incident, "INTERNAL"));
            return;
        }
        byte[] body = buffered.body();
        String contentType = buffered.getContentType();
        String json = new String(body, StandardCharsets.UTF_8);
        boolean isJson = contentType != null && contentType.startsWith("application/json");
        if (isJson && OperationOutcome.isDegraded(request)) {
            json = withDegradedExtension(json);
            body = json.getBytes(StandardCharsets.UTF_8);
        }
        // Successful answers (the hot read path) pass through without being parsed.
        if (!isJson || !json.contains("\"errors\"")) {
            response.setStatus(buffered.status());
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
            return;
        }
        write(request, response, buffered.status(), rewrite(json));
    }

    /**
     * {@code extensions.degraded}: the score in this answer was computed from the signal graph
     * because the materialized scores (PostgreSQL) were unavailable.
     */
    static String withDegradedExtension(String json) {
        JsonObject document = parsed(json);
        if (document == null) {
            return json;
        }
        JsonObjectBuilder extensions = document.get("extensions") instanceof JsonObject existing
                ? Json.createObjectBuilder(existing) : Json.createObjectBuilder();
        extensions.add("degraded", Json.createObjectBuilder().add("store", "postgres").add("servedFrom", "neo4j"));
        return Json.createObjectBuilder(document).add("extensions", extensions).build().toString();
    }

    /**
     * Open Liberty 26.0.0.3's SmallRye GraphQL fails with NoSuchMethodError while formatting any
     * graphql-java validation error (unknown field or argument, wrong variable type); the request
     * was refused before execution, so it is answered as the validation failure it is.
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

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The answer as a JSON object, or null when it is not one (then it is passed on as it is). */
    private static JsonObject parsed(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        } catch (JsonException e) {
            return null;
        }
    }

    private String rewrite(String json) {
        JsonObject document = parsed(json);
        if (document == null || !document.containsKey("errors")) {
            return json;
        }
        JsonArrayBuilder errors = Json.createArrayBuilder();
        for (JsonValue value : document.getJsonArray("errors")) {
            errors.add(rewriteError(value.asJsonObject()));
        }
        return Json.createObjectBuilder(document).add("errors", errors).build().toString();
    }

    private JsonObject rewriteError(JsonObject error) {
        String message = error.getString("message", "");
        JsonObjectBuilder extensions = Json.createObjectBuilder();
        JsonObjectBuilder rewritten = Json.createObjectBuilder(error).remove("extensions");
        var refusal = refusals.find(message);
        if (refusal.isPresent()) {
            extensions.add("code", refusal.get().code());
            if (!refusal.get().violations().isEmpty()) {
                JsonArrayBuilder violations = Json.createArrayBuilder();
                refusal.get().violations().forEach(v -> violations.add(Json.createObjectBuilder()
                        .add("field", v.field() == null ? "" : "input." + v.field())
                        .add("code", v.code()).add("message", v.message())));
                extensions.add("violations", violations);
            }
        } else if (message.startsWith("Invalid syntax")) {
            extensions.add("code", "GRAPHQL_PARSE_FAILED");
        } else if (message.startsWith("Validation error")) {
            extensions.add("code", "GRAPHQL_VALIDATION_FAILED");
        } else if (message.startsWith("Variable ") || message.startsWith("Argument ")) {
            extensions.add("code", "BAD_USER_INPUT");
        } else {
            extensions.add("code", "INTERNAL");
            rewritten.add("message", "internal error");
        }
        return rewritten.add("extensions", extensions).build();
    }

    private static String errorDocument(String message, String code) {
        return Json.createObjectBuilder()
                .add("errors", Json.createArrayBuilder(List.of(Json.createObjectBuilder()
                        .add("message", message)
                        .add("extensions", Json.createObjectBuilder().add("code", code)).build())))
                .addNull("data").build().toString();
    }

    private static final Pattern FIRST_CODE = Pattern.compile("\"code\":\"([A-Z_]+)\"");

    /** Writes an answer that holds errors, noting the first one's code for the operation log. */
    private static void write(HttpServletRequest request, HttpServletResponse response, int status, String json)
            throws IOException {
        Matcher code = FIRST_CODE.matcher(json);
        if (code.find()) {
            OperationOutcome.refused(request, code.group(1));
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Holds the downstream response so it can be rewritten before anything reaches the client. */
    private static final class BufferedResponse extends HttpServletResponseWrapper {

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private int status = SC_OK;
        private PrintWriter writer;
        private final ServletOutputStream stream = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
                throw new UnsupportedOperationException("blocking writes only");
            }

            @Override
            public void write(int b) {
                buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buffer.write(b, off, len);
            }
        };

        BufferedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int sc) {
            status = sc;
            super.setStatus(sc);
        }

        @Override
        public void sendError(int sc, String msg) {
            status = sc;
        }

        @Override
        public void sendError(int sc) {
            status = sc;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return stream;
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(buffer, StandardCharsets.UTF_8), false);
            }
            return writer;
        }

        @Override
        public void setContentLength(int len) {
            // the rewritten body has its own length
        }

        @Override
        public void setContentLengthLong(long len) {
            // the rewritten body has its own length
        }

        @Override
        public void flushBuffer() {
            if (writer != null) {
                writer.flush();
            }
        }

        int status() {
            return status;
        }

        byte[] body() {
            if (writer != null) {
                writer.flush();
            }
            return buffer.toByteArray();
        }
    }
}
