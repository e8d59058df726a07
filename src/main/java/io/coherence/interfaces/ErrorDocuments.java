package io.coherence.interfaces;

import static io.coherence.application.Jsons.JSON;

import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one writer of error documents, in the three shapes the API's clients read:
 * <ul>
 * <li>REST: {@code {"error": {"code", "message", "details": [{index, field, code, message}]}}};</li>
 * <li>GraphQL: {@code {"message", "locations"?, "extensions": {"code", "violations"?}}}, in an
 *     {@code errors} array, over HTTP and in WebSocket {@code error} messages alike;</li>
 * <li>an HTTP refusal of a whole request, with its status from {@link ErrorStatus}, in whichever of
 *     the two shapes its route speaks.</li>
 * </ul>
 * Nothing else in the application builds an error document.
 */
public final class ErrorDocuments {

    /** A line and column in a GraphQL document. */
    public record Location(int line, int column) {
    }

    private ErrorDocuments() {
    }

    /** The REST error body. */
    public static JsonObject rest(ErrorCode code, String message, List<Violation> details) {
        JsonArrayBuilder items = JSON.createArrayBuilder();
        for (Violation v : details) {
            JsonObjectBuilder item = JSON.createObjectBuilder();
            if (v.index() != null) {
                item.add("index", v.index());
            }
            if (v.field() != null) {
                item.add("field", v.field());
            }
            items.add(item.add("code", v.code()).add("message", v.message()));
        }
        return JSON.createObjectBuilder().add("error", JSON.createObjectBuilder()
                .add("code", code.name()).add("message", message).add("details", items)).build();
    }

    /** One GraphQL error; a violation's field is named as the input argument's ({@code input.value}). */
    public static JsonObject graphql(ErrorCode code, String message, List<Violation> violations, List<Location> locations) {
        JsonObjectBuilder error = JSON.createObjectBuilder().add("message", message);
        if (!locations.isEmpty()) {
            JsonArrayBuilder where = JSON.createArrayBuilder();
            locations.forEach(l -> where.add(JSON.createObjectBuilder().add("line", l.line()).add("column", l.column())));
            error.add("locations", where);
        }
        return error.add("extensions", graphqlExtensions(code, violations)).build();
    }

    /** A GraphQL error's {@code extensions}: the code, and the violations of refused input. */
    public static JsonObject graphqlExtensions(ErrorCode code, List<Violation> violations) {
        JsonObjectBuilder extensions = JSON.createObjectBuilder().add("code", code.name());
        if (!violations.isEmpty()) {
            JsonArrayBuilder items = JSON.createArrayBuilder();
            violations.forEach(v -> items.add(JSON.createObjectBuilder()
                    .add("field", v.field() == null ? "" : "input." + v.field())
                    .add("code", v.code()).add("message", v.message())));
            extensions.add("violations", items);
        }
        return extensions.build();
    }

    public static JsonObject graphql(ErrorCode code, String message) {
        return graphql(code, message, List.of(), List.of());
    }

    /**
     * The answer to a GraphQL request refused before it ran: errors and no {@code data} entry, as
     * GraphQL over HTTP has request errors.
     */
    public static JsonObject graphqlAnswer(List<JsonObject> errors) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        errors.forEach(array::add);
        return JSON.createObjectBuilder().add("errors", array).build();
    }

    /**
     * Refuses a whole HTTP request: the status from {@link ErrorStatus}, the route's shape (a GraphQL
     * answer on /graphql, the REST body elsewhere), and the code noted for the operation log.
     */
    public static void refuse(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String message)
            throws IOException {
        boolean graphql = request.getRequestURI().startsWith("/graphql");
        write(request, response, ErrorStatus.of(code), code, graphql
                ? graphqlAnswer(List.of(graphql(code, message)))
                : rest(code, message, List.of()));
    }

    /** Writes an error document with this status, noting the code for the operation log. */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, ErrorCode code,
                             JsonObject document) throws IOException {
        OperationOutcome.refused(request, code.name());
        byte[] bytes = document.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
