package io.coherence.faults;

import io.coherence.testsupport.GraphQLDocuments;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The clients' view of the server: ingest with an Idempotency-Key, the tenantCoherence read, and
 * the metrics. Every answer is reduced to a status and a code; a transport failure is status 0
 * with a code saying which (connection refused, timeout, ...).
 */
final class ServiceClient {

    /** Longer than the server's longest wait for a commit (COHERENCE_WRITER_TIMEOUT, 30 s), which answers 503. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(40);

    /** The code of an answer that carries no error document of the service's. */
    static final String NO_CODE = "(no code)";

    private static final String READ = GraphQLDocuments.load("k6-read.graphql");

    /** HTTP/1.1: the JDK client otherwise upgrades to h2c, which Liberty answered with GOAWAY under load. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    ServiceClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** An answer: HTTP status (0: none), the error code or outcome, whether it was a replay, Retry-After seconds. */
    record Answer(int status, String code, boolean replayed, long retryAfterSeconds, String body) {

        boolean transportFailure() {
            return status == 0;
        }
    }

    Answer ingest(String body, String idempotencyKey, String token) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/coherence/signals"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            String code = r.statusCode() == 202 ? null : restCode(r.body());
            long retryAfter = r.headers().firstValue("Retry-After").map(ServiceClient::seconds).orElse(0L);
            return new Answer(r.statusCode(), code, r.headers().firstValue("Idempotent-Replayed").isPresent(),
                    retryAfter, r.body());
        } catch (IOException e) {
            return new Answer(0, transport(e), false, 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted", false, 0, null);
        }
    }

    /** A read's outcome: OK, DEGRADED (the answer carries extensions.degraded) or an error with its code. */
    record ReadOutcome(Timeline.Outcome outcome, String code) {
    }

    ReadOutcome read(String tenant, String token) {
        String body = Json.createObjectBuilder().add("query", READ)
                .add("variables", Json.createObjectBuilder().add("t", tenant)).build().toString();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/graphql"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return classifyRead(r.statusCode(), r.body());
        } catch (IOException e) {
            return new ReadOutcome(Timeline.Outcome.ERROR, transport(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReadOutcome(Timeline.Outcome.ERROR, "interrupted");
        }
    }

    /**
     * A GraphQL answer: errors first (by {@code extensions.code}), then a top-level
     * {@code extensions.degraded} (served from a fallback store), else OK.
     */
    static ReadOutcome classifyRead(int status, String body) {
        JsonObject json = parse(body);
        if (json != null && json.containsKey("errors") && json.get("errors").getValueType() == JsonValue.ValueType.ARRAY
                && !json.getJsonArray("errors").isEmpty()) {
            return new ReadOutcome(Timeline.Outcome.ERROR, status + " " + graphqlCode(json.getJsonArray("errors")));
        }
        if (status != 200 || json == null || !json.containsKey("data") || json.isNull("data")) {
            return new ReadOutcome(Timeline.Outcome.ERROR, Integer.toString(status));
        }
        JsonObject extensions = json.containsKey("extensions") && !json.isNull("extensions")
                ? json.getJsonObject("extensions") : null;
        if (extensions != null && extensions.containsKey("degraded")) {
            JsonValue degraded = extensions.get("degraded");
            String served = degraded.getValueType() == JsonValue.ValueType.OBJECT
                    && degraded.asJsonObject().containsKey("servedFrom")
                    ? degraded.asJsonObject().getString("servedFrom", "?") : "?";
            return new ReadOutcome(Timeline.Outcome.DEGRADED, "servedFrom=" + served);
        }
        return new ReadOutcome(Timeline.Outcome.OK, null);
    }

    /** GET /metrics (empty when the server does not answer). */
    String metrics() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String graphqlCode(JsonArray errors) {
        JsonValue first = errors.get(0);
        if (first.getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject error = first.asJsonObject();
            if (error.containsKey("extensions") && error.get("extensions").getValueType() == JsonValue.ValueType.OBJECT) {
                JsonObject ext = error.getJsonObject("extensions");
                if (ext.containsKey("code") && ext.get("code").getValueType() == JsonValue.ValueType.STRING) {
                    return ext.getString("code");
                }
            }
        }
        return NO_CODE;
    }

    /** The REST error document's {@code error.code}, or the status alone. */
    static String restCode(String body) {
        JsonObject json = parse(body);
        if (json != null && json.containsKey("error") && json.get("error").getValueType() == JsonValue.ValueType.OBJECT) {
            JsonObject error = json.getJsonObject("error");
            if (error.containsKey("code") && error.get("code").getValueType() == JsonValue.ValueType.STRING) {
                return error.getString("code");
            }
        }
        return NO_CODE;
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonValue v = Json.createReader(new StringReader(body)).readValue();
            return v.getValueType() == JsonValue.ValueType.OBJECT ? v.asJsonObject() : null;
        } catch (JsonParsingException | IllegalStateException e) {
            return null;
        }
    }

    static String transport(IOException e) {
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("reset")) {
            return "connection reset";
        }
        if (message.contains("closed") || message.contains("eof")) {
            return "connection closed";
        }
        // e.g. the JDK client's "HTTP/1.1 header parser received no bytes" on a connection the server closed
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "I/O " + (text.length() > 60 ? text.substring(0, 60) : text);
    }

    private static long seconds(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
