package io.coherence.domain.erasure;

/**
 * Signs an audit package so it can be verified offline with the service's public key: returns a
 * JWS in compact serialization whose payload is {@code payload} (UTF-8 JSON).
 */
public interface AuditSigner {

    String sign(String payload);

    /** The id of the key that signs ({@code kid} in the JWS header and in the published key set). */
    String keyId();

    /**
     * Whether a signing key is configured. Without one, {@link #sign} refuses: an erasure must then
     * be refused before it starts, never carried out without its signed audit.
     */
    default boolean available() {
        return true;
    }
}
