package io.coherence.infrastructure.policy;

import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyDecisionPoint;
import io.coherence.domain.policy.PolicyInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/** The in-process engine: evaluates the Java twin of the Rego rules, no policy server needed. */
@ApplicationScoped
@Typed(EmbeddedPolicyDecisionPoint.class)
public class EmbeddedPolicyDecisionPoint implements PolicyDecisionPoint {

    private final AuthzRules rules = new AuthzRules();

    @Override
    public Decision decide(PolicyInput input) {
        return rules.decide(input);
    }
}
