package io.coherence.application.security;

import io.coherence.domain.policy.Caller;
import java.time.Instant;

/**
 * Verifies a bearer token, from an HTTP {@code Authorization} header or a WebSocket
 * {@code connection_init} payload, with one set of rules: signature, algorithm, issuer,
 * audience, expiry and not-before, with the configured clock skew.
 */
public interface TokenVerifier {

    /** The verified caller and when its token expires; a CoherenceException (UNAUTHENTICATED) otherwise. */
    Verified verify(String token);

    record Verified(Caller caller, Instant expiresAt) {
    }
}
