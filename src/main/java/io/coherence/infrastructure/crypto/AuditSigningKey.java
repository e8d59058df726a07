package io.coherence.infrastructure.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The RSA key that signs audit packages (RS256), read from a PKCS#8 PEM file, with its key id: the
 * configured one, or else the key's RFC 7638 thumbprint, so the id changes when the key does.
 */
final class AuditSigningKey {

    /** Explicit typing (RFC 8725 §3.11): an audit package cannot pass for any other kind of JWS. */
    static final JOSEObjectType TYPE = new JOSEObjectType("coherence-audit+jws");

    /** Safe in a URL path segment and a file name; the key's PEM is published under it. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9._~-]{1,128}");
    private static final int MIN_BITS = 2048;
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final RSAKey key;
    private final RSASSASigner signer;

    private AuditSigningKey(RSAKey key) throws JOSEException {
        this.key = key;
        this.signer = new RSASSASigner(key);
    }

    /** Reads the key; a file that is missing, not a PKCS#8 RSA key, or under 2048 bits is refused with the reason. */
    static AuditSigningKey read(Path pemFile, String configuredKeyId) {
        String pem;
        try {
            pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("the audit signing key " + pemFile + " cannot be read: " + e, e);
        }
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalStateException("the audit signing key " + pemFile + " is PKCS#1; convert it to PKCS#8 with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in old.pem -out audit-private.pem'");
        }
        int from = pem.indexOf(BEGIN);
        int to = pem.indexOf(END);
        if (from < 0 || to < from) {
            throw new IllegalStateException("the audit signing key " + pemFile + " has no unencrypted '" + BEGIN + "' block");
        }
        RSAPrivateCrtKey privateKey;
        RSAPublicKey publicKey;
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + BEGIN.length(), to));
            if (!(rsa.generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey crt)) {
                throw new IllegalStateException("the audit signing key " + pemFile + " lacks its CRT parameters");
            }
            privateKey = crt;
            publicKey = (RSAPublicKey) rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the audit signing key " + pemFile + " is not an RSA private key: " + e.getMessage(), e);
        }
        if (publicKey.getModulus().bitLength() < MIN_BITS) {
            throw new IllegalStateException("the audit signing key " + pemFile + " has " + publicKey.getModulus().bitLength()
                    + " bits; RS256 needs at least " + MIN_BITS);
        }
        return of(publicKey, privateKey, configuredKeyId);
    }

    static AuditSigningKey of(RSAPublicKey publicKey, RSAPrivateCrtKey privateKey, String configuredKeyId) {
        try {
            RSAKey.Builder builder = new RSAKey.Builder(publicKey).privateKey(privateKey)
                    .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256);
            String kid = configuredKeyId == null || configuredKeyId.isBlank()
                    ? builder.build().computeThumbprint().toString() : configuredKeyId.trim();
            if (!KEY_ID.matcher(kid).matches()) {
                throw new IllegalStateException("COHERENCE_AUDIT_KEY_ID must be 1 to 128 of A-Z a-z 0-9 . _ ~ -, not '"
                        + kid + "'");
            }
            return new AuditSigningKey(builder.keyID(kid).build());
        } catch (JOSEException e) {
            throw new IllegalStateException("the audit signing key cannot be used: " + e.getMessage(), e);
        }
    }

    String keyId() {
        return key.getKeyID();
    }

    int bits() {
        return key.size();
    }

    /** A compact JWS over exactly the UTF-8 bytes of {@code payload}. */
    String sign(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("an audit package to sign is required");
        }
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyId()).type(TYPE).build(),
                new Payload(payload.getBytes(StandardCharsets.UTF_8)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the audit package failed: " + e.getMessage(), e);
        }
        return jws.serialize();
    }

    /** The public half as a JWK (kid, use, alg, n, e): never a private member. */
    RSAKey publicJwk() {
        return key.toPublicJWK();
    }

    /** The public half as PEM (SubjectPublicKeyInfo), as openssl reads it. */
    String publicKeyPem() {
        try {
            Base64.Encoder lines = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
            return "-----BEGIN PUBLIC KEY-----\n" + lines.encodeToString(key.toRSAPublicKey().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
