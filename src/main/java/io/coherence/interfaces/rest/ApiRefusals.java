package io.coherence.interfaces.rest;

import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Refusals written by the filters in front of the API, before any resource runs: a GraphQL error
 * document on /graphql routes, the REST error body ({@link ErrorBody}'s shape) elsewhere.
 */
final class ApiRefusals {

    private ApiRefusals() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String code, String message)
            throws IOException {
        String body = request.getRequestURI().startsWith("/graphql")
                ? Json.createObjectBuilder().add("errors", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("message", message).add("extensions", Json.createObjectBuilder().add("code", code))))
                        .build().toString()
                : Json.createObjectBuilder().add("error", Json.createObjectBuilder().add("code", code)
                        .add("message", message).add("details", Json.createArrayBuilder())).build().toString();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
