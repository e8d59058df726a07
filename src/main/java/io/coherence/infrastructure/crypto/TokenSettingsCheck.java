package io.coherence.infrastructure.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stops the application from starting with an empty JWT issuer or audience, an algorithm other than
 * RS256/ES256, or a JWKS refresh limit that is not shorter than the key set's cache lifetime.
 */
@ApplicationScoped
public class TokenSettingsCheck {

    @Inject
    @ConfigProperty(name = "JWT_ISSUER", defaultValue = " ")
    String issuer;

    @Inject
    @ConfigProperty(name = "JWT_AUDIENCE", defaultValue = " ")
    String audience;

    @Inject
    @ConfigProperty(name = "JWT_ALGORITHM", defaultValue = " ")
    String algorithm;

    @Inject
    @ConfigProperty(name = "COHERENCE_JWKS_MIN_REFRESH")
    Duration jwksMinRefresh;

    @Inject
    @ConfigProperty(name = "COHERENCE_JWKS_CACHE_TTL")
    Duration jwksCacheTtl;

    void check(@Observes Startup startup) {
        NimbusTokenVerifier.requireConfigured(issuer, audience);
        NimbusTokenVerifier.algorithm(algorithm);
        NimbusTokenVerifier.requireRefreshBelowTtl(jwksMinRefresh, jwksCacheTtl);
    }
}
