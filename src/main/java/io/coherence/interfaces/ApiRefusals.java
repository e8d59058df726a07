package io.coherence.interfaces;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refusals written by the servlet filters in front of the API, before any resource runs: a GraphQL
 * error document on /graphql routes, the REST error body ({@code ErrorBody}'s shape) elsewhere.
 */
public final class ApiRefusals {

    private ApiRefusals() {
    }

    /** The shape the route's clients expect. */
    public static void write(HttpServletRequest request, HttpServletResponse response, int status, String code,
                             String message) throws IOException {
        if (request.getRequestURI().startsWith("/graphql")) {
            graphql(request, response, status, code, message);
        } else {
            OperationOutcome.refused(request, code);
            send(response, status, Json.createObjectBuilder().add("error", Json.createObjectBuilder().add("code", code)
                    .add("message", message).add("details", Json.createArrayBuilder())).build().toString());
        }
    }

    /** {@code {"errors":[{"message":…,"extensions":{"code":…}}]}}. */
    public static void graphql(HttpServletRequest request, HttpServletResponse response, int status, String code,
                               String message) throws IOException {
        OperationOutcome.refused(request, code);
        send(response, status, Json.createObjectBuilder().add("errors", Json.createArrayBuilder().add(Json.createObjectBuilder()
                .add("message", message).add("extensions", Json.createObjectBuilder().add("code", code))))
                .build().toString());
    }

    private static void send(HttpServletResponse response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
