package io.coherence.perf;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under test, from system properties (perf/slo.sh sets them):
 * <ul>
 *   <li>{@code coherence.baseUrl}: e.g. http://localhost:9180 (GraphQL at /graphql, subscriptions at
 *       /graphql/ws, ingest at /v1/coherence/signals)</li>
 *   <li>{@code coherence.tenant}: the tenant every request acts for (default tenant-123)</li>
 *   <li>{@code COHERENCE_TOKEN} (environment) or {@code coherence.token}: a bearer token for that tenant with coherence:read coherence:write; when
 *       empty, one is minted from the signingKey of {@code coherence.devstack} (the dev stack's
 *       devstack.json), as perf/FanoutProbe.java does</li>
 * </ul>
 */
final class Target {

    final String baseUrl;
    final String wsBaseUrl;
    final String tenant;
    final String token;

    private Target(String baseUrl, String tenant, String token) {
        this.baseUrl = baseUrl;
        this.wsBaseUrl = baseUrl.replaceFirst("^http", "ws");
        this.tenant = tenant;
        this.token = token;
    }

    static Target fromSystemProperties() {
        String base = System.getProperty("coherence.baseUrl", "http://localhost:9080").replaceAll("/+$", "");
        String tenant = System.getProperty("coherence.tenant", "tenant-123");
        // The environment first, so a real token need not appear on a command line.
        String token = System.getenv().getOrDefault("COHERENCE_TOKEN", System.getProperty("coherence.token", "")).trim();
        if (token.isEmpty()) {
            token = mint(Path.of(System.getProperty("coherence.devstack", "../../target/devstack/devstack.json")), tenant);
        }
        return new Target(base, tenant, token);
    }

    HttpProtocolBuilder http() {
        return http.baseUrl(baseUrl).wsBaseUrl(wsBaseUrl)
                .authorizationHeader("Bearer " + token)
                .contentTypeHeader("application/json").acceptHeader("application/json");
    }

    static int intProp(String name, int def) {
        return Integer.getInteger(name, def);
    }

    /** An RS256 token (claims iss, aud, sub, exp, tenant, scope) signed with the dev stack's key. */
    static String mint(Path devstack, String tenant) {
        try {
            String descriptor = Files.readString(devstack);
            String signingKey = field(descriptor, "signingKey");   // a PEM file's path, or the PEM itself
            String pem = signingKey.startsWith("-----BEGIN") ? signingKey.replace("\\n", "\n") : Files.readString(Path.of(signingKey));
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""))));
            long now = Instant.now().getEpochSecond();
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}";
            String claims = String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"gatling:%s\",\"tenant\":\"%s\","
                            + "\"scope\":\"coherence:read coherence:write\",\"iat\":%d,\"exp\":%d}",
                    field(descriptor, "issuer"), field(descriptor, "audience"), tenant, tenant, now, now + 3600);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String input = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException("no coherence.token and cannot mint one from " + devstack + ": " + e, e);
        }
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " missing in devstack.json");
        }
        return m.group(1);
    }
}
