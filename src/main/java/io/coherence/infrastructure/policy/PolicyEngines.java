package io.coherence.infrastructure.policy;

import io.coherence.domain.policy.PolicyDecisionPoint;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Picks the policy engine named by {@code COHERENCE_POLICY_ENGINE}: embedded (default) or opa. */
@ApplicationScoped
public class PolicyEngines {

    @Inject
    @ConfigProperty(name = "COHERENCE_POLICY_ENGINE")
    String engine;

    @Inject
    Instance<EmbeddedPolicyDecisionPoint> embedded;

    @Inject
    Instance<OpaPolicyDecisionPoint> opa;

    @Produces
    @ApplicationScoped
    public PolicyDecisionPoint decisionPoint() {
        return switch (engine.trim()) {
            case "embedded" -> embedded.get();
            case "opa" -> opa.get();
            default -> throw new IllegalStateException(
                    "COHERENCE_POLICY_ENGINE must be embedded or opa, not '" + engine + "'");
        };
    }
}
