package io.coherence.interfaces.health;

import io.coherence.domain.erasure.AuditSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports whether erasure audit packages can be signed ({@code available}, and the {@code keyId}).
 * Reported, never gating: without a key only erasure requests are refused (AUDIT_KEY_UNAVAILABLE);
 * ingest and reads are unaffected.
 */
@Readiness
@ApplicationScoped
public class AuditSigningCheck implements HealthCheck {

    @Inject
    AuditSigner signer;

    @Override
    public HealthCheckResponse call() {
        boolean available = signer.available();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("audit-signing").up().withData("available", available);
        if (available) {
            response.withData("keyId", signer.keyId());
        }
        return response.build();
    }
}
