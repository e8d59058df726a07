package io.coherence.infrastructure.policy;

import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyDecisionPoint;
import io.coherence.domain.policy.PolicyInput;
import io.coherence.domain.policy.TenantScopeRules;
import jakarta.enterprise.context.ApplicationScoped;

/** The in-process engine: evaluates the tenant/scope rules without a policy server. */
@ApplicationScoped
public class EmbeddedPolicyDecisionPoint implements PolicyDecisionPoint {

    private final TenantScopeRules rules = new TenantScopeRules();

    @Override
    public Decision decide(PolicyInput input) {
        return rules.decide(input);
    }
}
