package io.coherence.infrastructure.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.testsupport.DevKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit package signer: what it signs verifies with its published key and no other; no key, no signature. */
class NimbusAuditSignerTest {

    private static final String PACKAGE = "{\"request\":{\"tenantId\":\"t-1\",\"subjectId\":\"probe-ä\"},\"stores\":[]}";

    @TempDir
    Path dir;

    private static NimbusAuditSigner signer(Path keyFile, String keyId) {
        NimbusAuditSigner signer = new NimbusAuditSigner();
        signer.keyFile = Optional.ofNullable(keyFile).map(Path::toString);
        signer.configuredKeyId = Optional.ofNullable(keyId);
        return signer;
    }

    private NimbusAuditSigner devSigner(String keyId) {
        return signer(DevKeys.loadOrCreateAudit(dir).privateKeyFile(), keyId);
    }

    @Test
    void aSignedPackageVerifiesWithThePublishedKeyAndCarriesThePayloadAsGiven() throws Exception {
        NimbusAuditSigner signer = devSigner(null);
        signer.load(null);
        String jws = signer.sign(PACKAGE);

        JWSObject parsed = JWSObject.parse(jws);
        assertThat(parsed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(parsed.getHeader().getKeyID()).isEqualTo(signer.keyId());
        assertThat(parsed.getHeader().getType().getType()).isEqualTo("coherence-audit+jws");
        assertThat(parsed.getPayload().toBytes()).isEqualTo(PACKAGE.getBytes(StandardCharsets.UTF_8));

        RSAKey published = (RSAKey) JWKSet.parse(signer.keySet()).getKeyByKeyId(signer.keyId());
        assertThat(parsed.verify(new RSASSAVerifier(published))).isTrue();
        assertThat(parsed.verify(new RSASSAVerifier(DevKeys.loadOrCreateAudit(dir).publicKey()))).isTrue();
    }

    @Test
    void anotherKeyOrAnAlteredPackageDoesNotVerify() throws Exception {
        NimbusAuditSigner signer = devSigner(null);
        String jws = signer.sign(PACKAGE);
        RSAPublicKey other = (RSAPublicKey) DevKeys.generate().getPublic();
        assertThat(JWSObject.parse(jws).verify(new RSASSAVerifier(other))).isFalse();

        String[] parts = jws.split("\\.");
        String altered = PACKAGE.replace("t-1", "t-2");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(altered.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(JWSObject.parse(forged).verify(new RSASSAVerifier(DevKeys.loadOrCreateAudit(dir).publicKey()))).isFalse();
    }

    @Test
    void theKeyIdIsTheThumbprintUnlessOneIsConfigured() throws Exception {
        RSAKey publicJwk = new RSAKey.Builder(DevKeys.loadOrCreateAudit(dir).publicKey()).build();
        assertThat(devSigner(null).keyId()).isEqualTo(publicJwk.computeThumbprint().toString());
        assertThat(devSigner(" ").keyId()).isEqualTo(publicJwk.computeThumbprint().toString());

        NimbusAuditSigner named = devSigner("audit-2026-12");
        assertThat(named.keyId()).isEqualTo("audit-2026-12");
        assertThat(JWSObject.parse(named.sign(PACKAGE)).getHeader().getKeyID()).isEqualTo("audit-2026-12");
        assertThat(named.publicKeyPem("audit-2026-12")).isPresent();
    }

    @Test
    void theKeySetIsPublicOnly() throws Exception {
        NimbusAuditSigner signer = devSigner("k1");
        Map<String, Object> json = JWKSet.parse(signer.keySet()).toJSONObject(false);
        assertThat(signer.keySet()).doesNotContain("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"");
        assertThat(json).containsOnlyKeys("keys");
        JWK key = JWKSet.parse(signer.keySet()).getKeys().get(0);
        assertThat(key.isPrivate()).isFalse();
        assertThat(key.getKeyID()).isEqualTo("k1");
        assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    }

    @Test
    void thePemIsThePublicKeyUnderItsIdOnly() {
        NimbusAuditSigner signer = devSigner("k1");
        assertThat(signer.publicKeyPem("k1")).contains(DevKeys.loadOrCreateAudit(dir).publicKeyPem());
        assertThat(signer.publicKeyPem("k2")).isEmpty();
        assertThat(signer.publicKeyPem("k1").orElseThrow()).doesNotContain("PRIVATE");
    }

    @Test
    void withoutAKeyNothingIsSignedAndNoKeyIsPublished() {
        NimbusAuditSigner blank = signer(null, "k1");
        blank.keyFile = Optional.of(" ");
        for (NimbusAuditSigner signer : new NimbusAuditSigner[] {signer(null, null), blank}) {
            signer.load(null);
            assertThat(signer.available()).isFalse();
            assertThatThrownBy(() -> signer.sign(PACKAGE)).isInstanceOfSatisfying(CoherenceException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.AUDIT_KEY_UNAVAILABLE));
            assertThatThrownBy(signer::keyId).isInstanceOf(CoherenceException.class);
            assertThat(signer.keySet()).isEqualTo("{\"keys\":[]}");
            assertThat(signer.publicKeyPem("k1")).isEmpty();
        }
    }

    @Test
    void aConfiguredKeyThatCannotBeUsedStopsTheStartWithTheReason() throws Exception {
        assertThatIllegalStateException().isThrownBy(() -> signer(dir.resolve("absent.pem"), null).load(null))
                .withMessageContaining("cannot be read");

        Path pkcs1 = Files.writeString(dir.resolve("pkcs1.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatIllegalStateException().isThrownBy(() -> signer(pkcs1, null).load(null))
                .withMessageContaining("PKCS#1").withMessageContaining("openssl pkcs8 -topk8");

        Path publicOnly = DevKeys.loadOrCreateAudit(dir).publicKeyFile();
        assertThatIllegalStateException().isThrownBy(() -> signer(publicOnly, null).load(null))
                .withMessageContaining("BEGIN PRIVATE KEY");

        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThatIllegalStateException().isThrownBy(() -> signer(garbage, null).load(null))
                .withMessageContaining("not an RSA private key");

        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        KeyPair weak = small.generateKeyPair();
        Path weakFile = Files.writeString(dir.resolve("weak.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(weak.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        assertThatIllegalStateException().isThrownBy(() -> signer(weakFile, null).load(null))
                .withMessageContaining("1024 bits");

        assertThatIllegalStateException().isThrownBy(() -> devSigner("../etc/passwd").load(null))
                .withMessageContaining("COHERENCE_AUDIT_KEY_ID");
    }

    @Test
    void aMissingPackageIsRefused() {
        assertThatThrownBy(() -> devSigner(null).sign(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
