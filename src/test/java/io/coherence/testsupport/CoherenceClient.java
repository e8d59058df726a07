package io.coherence.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Values;

/**
 * The outside view of the Liberty test server: HTTP ingest and GraphQL calls with tokens signed by
 * the stack's dev key, and a look into Neo4j to prove what was (not) written.
 */
public final class CoherenceClient {

    public static final List<String> READ_WRITE = List.of("coherence:read", "coherence:write");

    /** HTTP/1.1: the JDK client otherwise upgrades to h2c, and Liberty sent GOAWAY to concurrent upgrades under load. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final DevKeys keys;
    private final TokenMinter minter;
    private final Driver neo4j;

    private CoherenceClient(URI base, DevKeys keys, Driver neo4j) {
        this.base = base;
        this.keys = keys;
        this.minter = new TokenMinter(keys.privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        this.neo4j = neo4j;
    }

    /** For tests running next to the Liberty test server that LibertyStackListener configured. */
    public static CoherenceClient forTestServer() {
        return forServer(URI.create("http://localhost:" + System.getProperty(LibertyStackListener.HTTP_PORT)),
                DevKeys.loadOrCreate(Path.of(System.getProperty(LibertyStackListener.KEYS_DIR))));
    }

    /** For another server on the shared engines that verifies tokens signed with these keys. */
    public static CoherenceClient forServer(URI base, DevKeys keys) {
        return new CoherenceClient(base, keys, EmbeddedEngines.shared().sharedNeo4jDriver());
    }

    public DevKeys keys() {
        return keys;
    }

    public String token(String tenant, List<String> scopes) {
        return minter.mint(tenant, scopes, Duration.ofMinutes(10));
    }

    public TokenMinter minter() {
        return minter;
    }

    /** An address on the test server. */
    public URI uri(String path) {
        return base.resolve(path);
    }

    /** POSTs a JSON body as a traced caller would: with a sampled {@code traceparent} of this trace. */
    public HttpResponse<String> postTraced(String path, String token, String traceId, String body) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("traceparent", TraceParent.header(traceId))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** The GraphQL subscription endpoint (graphql-transport-ws). */
    public URI subscriptions() {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "/graphql/ws");
    }

    public HttpResponse<String> ingest(String body, String token) {
        return ingest(body, token, "application/json");
    }

    public HttpResponse<String> ingest(String body, String token, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/coherence/signals"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** Ingest with an Idempotency-Key header. */
    public HttpResponse<String> ingestIdempotently(String body, String token, String key) {
        return send(HttpRequest.newBuilder(base.resolve("/v1/coherence/signals"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Posts a GraphQL document (a file under src/test/resources/graphql) with variables. */
    public JsonObject graphql(String documentFile, Map<String, Object> variables, String token) {
        HttpResponse<String> response = graphqlRaw(documentFile, variables, token);
        return json(response.body());
    }

    public HttpResponse<String> graphqlRaw(String documentFile, Map<String, Object> variables, String token) {
        String body = Json.createObjectBuilder()
                .add("query", GraphQLDocuments.load(documentFile))
                .add("variables", Json.createObjectBuilder(variables))
                .build().toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** Posts a raw body to /graphql, for requests that are not well-formed GraphQL-over-HTTP. */
    public HttpResponse<String> postGraphqlBody(String body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/graphql"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request.build());
    }

    /** GET /graphql with these parameters (URL-encoded here), as Apollo sends hashed queries. */
    public HttpResponse<String> getGraphql(Map<String, String> parameters, String token) {
        StringBuilder query = new StringBuilder();
        parameters.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/graphql" + query)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** POST without a body, e.g. an admin action; a null token sends none. */
    public HttpResponse<String> post(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    /** GET with a bearer token; a null token sends none. */
    public HttpResponse<String> get(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    /** Calls until the answer satisfies the condition or the deadline passes; returns the last answer. */
    public JsonObject awaitGraphql(String documentFile, Map<String, Object> variables, String token,
                                   Predicate<JsonObject> until, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = graphql(documentFile, variables, token);
        while (!until.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = graphql(documentFile, variables, token);
        }
        return last;
    }

    public long signalCount(String tenant) {
        try (var session = neo4j.session()) {
            return session.run("MATCH (s:Signal {tenant_id: $t}) WHERE s.ts IS NOT NULL RETURN count(s) AS n", Values.parameters("t", tenant))
                    .single().get("n").asLong();
        }
    }

    /** A property of the tenant's only signal, as stored. */
    public String signalProperty(String tenant, String property) {
        try (var session = neo4j.session()) {
            return session.run("MATCH (s:Signal {tenant_id: $t}) WHERE s.ts IS NOT NULL RETURN s[$p] AS v",
                    Values.parameters("t", tenant, "p", property)).single().get("v").asString();
        }
    }

    /** A property of each of the tenant's signals, as stored (absent ones left out). */
    public List<String> signalValues(String tenant, String property) {
        try (var session = neo4j.session()) {
            return session.run("MATCH (s:Signal {tenant_id: $t}) WHERE s.ts IS NOT NULL AND s[$p] IS NOT NULL RETURN s[$p] AS v",
                    Values.parameters("t", tenant, "p", property)).list(r -> r.get("v").asString());
        }
    }

    public static JsonObject json(String body) {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
