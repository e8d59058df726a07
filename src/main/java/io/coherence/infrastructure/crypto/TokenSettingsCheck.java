package io.coherence.infrastructure.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Stops the application from starting with an empty JWT issuer or audience, or an algorithm other than RS256/ES256. */
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

    void check(@Observes Startup startup) {
        NimbusTokenVerifier.requireConfigured(issuer, audience);
        NimbusTokenVerifier.algorithm(algorithm);
    }
}
