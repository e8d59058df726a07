package io.coherence.application.security;

import io.coherence.domain.policy.Caller;
import java.time.Instant;

/**
 * Verifies a bearer token that did not come through HTTP (a WebSocket connection_init payload)
 * with the same rules MicroProfile JWT applies to HTTP requests: signature, algorithm, issuer,
 * audience, expiry and not-before, with the same clock skew.
 */
public interface TokenVerifier {

    /** The verified caller and when its token expires; a CoherenceException (UNAUTHENTICATED) otherwise. */
    Verified verify(String token);

    record Verified(Caller caller, Instant expiresAt) {
    }
}
