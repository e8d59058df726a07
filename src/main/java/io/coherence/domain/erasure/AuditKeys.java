package io.coherence.domain.erasure;

import java.util.Optional;

/**
 * The public keys that verify audit packages, published so an auditor can fetch one once and
 * verify packages offline. Never a private key.
 */
public interface AuditKeys {

    /** The keys as a JSON Web Key Set (RFC 7517), public members only; {@code {"keys":[]}} when none. */
    String keySet();

    /** The public key named {@code keyId} as PEM (SubjectPublicKeyInfo), if it is one of the keys. */
    Optional<String> publicKeyPem(String keyId);
}
