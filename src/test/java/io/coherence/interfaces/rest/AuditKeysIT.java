package io.coherence.interfaces.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The erasure audit's public key as an auditor fetches it, without a token: a JWKS holding the
 * stack's audit key and nothing private, the same key as PEM under its kid, and readiness saying
 * that audit packages can be signed.
 */
@TestServerIT
class AuditKeysIT {

    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth");

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final DevKeys audit = DevKeys.loadOrCreateAudit(Path.of(System.getProperty(LibertyStackListener.KEYS_DIR)));

    private String kid() throws Exception {
        return new RSAKey.Builder(audit.publicKey()).build().computeThumbprint().toString();
    }

    @Test
    void theKeySetHoldsTheAuditKeyAndNothingPrivate() throws Exception {
        HttpResponse<String> answer = api.get("/v1/coherence/audit/keys");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/jwk-set+json"));
        assertThat(answer.headers().firstValue("Cache-Control")).hasValueSatisfying(
                cache -> assertThat(cache).contains("max-age=300"));

        JsonObject json = CoherenceClient.json(answer.body());
        assertThat(json.keySet()).containsExactly("keys");
        assertThat(json.getJsonArray("keys")).hasSize(1);
        assertThat(json.getJsonArray("keys").getJsonObject(0).keySet())
                .containsExactlyInAnyOrder("kty", "kid", "use", "alg", "n", "e")
                .doesNotContainAnyElementsOf(PRIVATE_MEMBERS);

        JWK key = JWKSet.parse(answer.body()).getKeyByKeyId(kid());
        assertThat(key).isInstanceOf(RSAKey.class);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(((RSAKey) key).toRSAPublicKey().getModulus()).isEqualTo(audit.publicKey().getModulus());
        assertThat(((RSAKey) key).toRSAPublicKey().getPublicExponent()).isEqualTo(audit.publicKey().getPublicExponent());

        HttpResponse<String> asJson = api.send(HttpRequest.newBuilder(api.uri("/v1/coherence/audit/keys"))
                .header("Accept", "application/json").GET().build());
        assertThat(asJson.statusCode()).isEqualTo(200);
        assertThat(asJson.body()).isEqualTo(answer.body());
    }

    @Test
    void thePemIsServedUnderTheKeyIdOnly() throws Exception {
        HttpResponse<String> pem = api.get("/v1/coherence/audit/keys/" + kid() + ".pem");
        assertThat(pem.statusCode()).as(pem.body()).isEqualTo(200);
        assertThat(pem.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-pem-file"));
        assertThat(pem.body()).isEqualTo(audit.publicKeyPem()).doesNotContain("PRIVATE");

        for (String unknown : List.of("not-a-key", kid() + "x", kid().substring(1))) {
            HttpResponse<String> missing = api.get("/v1/coherence/audit/keys/" + unknown + ".pem");
            assertThat(missing.statusCode()).as(unknown).isEqualTo(404);
            assertThat(missing.body()).doesNotContain("PUBLIC KEY");
        }
        HttpResponse<String> notFound = api.get("/v1/coherence/audit/keys/not-a-key.pem");
        assertThat(CoherenceClient.json(notFound.body()).getJsonObject("error").getString("code")).isEqualTo("NOT_FOUND");
    }

    @Test
    void readinessSaysAuditPackagesCanBeSigned() throws Exception {
        HttpResponse<String> ready = api.get("/health/ready");
        JsonObject check = CoherenceClient.json(ready.body()).getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(c -> c.getString("name").equals("audit-signing")).findFirst().orElseThrow();
        assertThat(check.getString("status")).isEqualTo("UP");
        assertThat(check.getJsonObject("data").getBoolean("available")).isTrue();
        assertThat(check.getJsonObject("data").getString("keyId")).isEqualTo(kid());
    }
}
