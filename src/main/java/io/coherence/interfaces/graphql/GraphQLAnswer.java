package io.coherence.interfaces.graphql;

import static io.coherence.application.Jsons.JSON;

import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.OperationOutcome;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * MicroProfile GraphQL's answer on its way out. SmallRye writes {@code errors} before {@code data};
 * so the first bytes tell: an answer that starts {@code {"data"} (the read path) streams through
 * untouched, unless the score in it was read degraded. One that starts {@code {"errors"} (or a
 * degraded one) is held and rewritten into the API's error shape: each error's code is the one the
 * resolver noted on the {@link GraphQLRequest} where it refused, with its violations; an error no
 * resolver raised is graphql-java's variable coercion ({@code BAD_USER_INPUT}) or internal, and then
 * says nothing of the cause. A degraded answer gets {@code extensions.degraded}.
 */
final class GraphQLAnswer extends HttpServletResponseWrapper {

    private static final byte[] ERRORS = "{\"errors\"".getBytes(StandardCharsets.UTF_8);

    private final BooleanSupplier degraded;
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    /** null until the first bytes decided; then whether the answer is held. */
    private Boolean holding;
    private ServletOutputStream out;
    private PrintWriter writer;

    GraphQLAnswer(HttpServletResponse response, BooleanSupplier degraded) {
        super(response);
        this.degraded = degraded;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            ServletOutputStream target = super.getOutputStream();
            out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException("blocking writes only");
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (holding == null) {
                        held.write(b, off, len);
                        decide(target, false);
                    } else if (holding) {
                        held.write(b, off, len);
                    } else {
                        target.write(b, off, len);
                    }
                }

                @Override
                public void flush() throws IOException {
                    if (Boolean.FALSE.equals(holding)) {
                        target.flush();
                    }
                }
            };
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new PrintWriter(new OutputStreamWriter(getOutputStream(), StandardCharsets.UTF_8), false);
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (Boolean.FALSE.equals(holding)) {
            super.flushBuffer();
        }
    }

    @Override
    public void setContentLength(int len) {
        // an answer that is rewritten has its own length; one that streams needs none
    }

    @Override
    public void setContentLengthLong(long len) {
        // as above
    }

    /** Enough bytes (or the end) to know whether this answer is to be held. */
    private void decide(ServletOutputStream target, boolean end) throws IOException {
        byte[] head = held.toByteArray();
        int n = Math.min(head.length, ERRORS.length);
        boolean couldBeErrors = Arrays.equals(head, 0, n, ERRORS, 0, n);
        if (couldBeErrors && head.length < ERRORS.length && !end) {
            return;
        }
        holding = degraded.getAsBoolean() || couldBeErrors && head.length >= ERRORS.length;
        if (!holding) {
            held.reset();
            target.write(head);
        }
    }

    /** After MicroProfile GraphQL is done: writes a held answer, rewritten. */
    void finish(GraphQLRequest graphql, boolean isDegraded, HttpServletRequest request) throws IOException {
        if (writer != null) {
            writer.flush();
        }
        if (holding == null && held.size() > 0) {
            decide(super.getOutputStream(), true);
        }
        if (!Boolean.TRUE.equals(holding)) {
            return;
        }
        byte[] body = held.toByteArray();
        JsonObject answer;
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body))) {
            answer = reader.readObject();
        } catch (JsonException e) {
            getResponse().getOutputStream().write(body);
            return;
        }
        JsonObjectBuilder rewritten = JSON.createObjectBuilder(answer);
        if (answer.get("errors") instanceof jakarta.json.JsonArray errors) {
            JsonArrayBuilder array = JSON.createArrayBuilder();
            ErrorCode first = null;
            for (JsonValue value : errors) {
                JsonObject error = value.asJsonObject();
                Rewritten r = rewrite(error, graphql);
                first = first == null ? r.code() : first;
                array.add(r.error());
            }
            rewritten.add("errors", array);
            if (first != null) {
                OperationOutcome.refused(request, first.name());
            }
        }
        if (isDegraded) {
            JsonObjectBuilder extensions = answer.get("extensions") instanceof JsonObject existing
                    ? JSON.createObjectBuilder(existing) : JSON.createObjectBuilder();
            rewritten.add("extensions", extensions.add("degraded",
                    JSON.createObjectBuilder().add("store", "postgres").add("servedFrom", "neo4j")));
        }
        byte[] bytes = rewritten.build().toString().getBytes(StandardCharsets.UTF_8);
        HttpServletResponse response = (HttpServletResponse) getResponse();
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private record Rewritten(ErrorCode code, JsonObject error) {
    }

    private static Rewritten rewrite(JsonObject error, GraphQLRequest graphql) {
        String message = error.getString("message", "");
        JsonObjectBuilder shaped = JSON.createObjectBuilder(error).remove("extensions");
        var raised = graphql == null ? java.util.Optional.<GraphQLRequest.Raised>empty() : graphql.raisedWith(message);
        ErrorCode code;
        if (raised.isPresent()) {
            code = raised.get().code();
            shaped.add("extensions", ErrorDocuments.graphqlExtensions(code, raised.get().violations()));
        } else {
            // graphql-java's coercion of variable values ("Variable 'x' has an invalid value…").
            code = message.startsWith("Variable ") || message.startsWith("Argument ")
                    ? ErrorCode.BAD_USER_INPUT : ErrorCode.INTERNAL;
            if (code == ErrorCode.INTERNAL) {
                shaped.add("message", "internal error");
            }
            shaped.add("extensions", ErrorDocuments.graphqlExtensions(code, List.of()));
        }
        return new Rewritten(code, shaped.build());
    }
}
