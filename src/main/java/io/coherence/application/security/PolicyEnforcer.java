package io.coherence.application.security;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyDecisionPoint;
import io.coherence.domain.policy.PolicyInput;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;

/** The policy enforcement point: every entry point asks here, and only here, before acting. */
@ApplicationScoped
public class PolicyEnforcer {

    private static final Logger LOG = Logger.getLogger(PolicyEnforcer.class.getName());

    private final PolicyDecisionPoint decisionPoint;
    private final PolicySettings settings;

    /** For the CDI client proxy only. */
    protected PolicyEnforcer() {
        this(null, null);
    }

    @Inject
    public PolicyEnforcer(PolicyDecisionPoint decisionPoint, PolicySettings settings) {
        this.decisionPoint = decisionPoint;
        this.settings = settings;
    }

    public Caller authenticated(Optional<Caller> caller) {
        return caller.orElseThrow(() -> new CoherenceException(ErrorCode.UNAUTHENTICATED,
                "a valid bearer token is required"));
    }

    public void require(Caller caller, Action action, String tenantId) {
        Decision decision = decisionPoint.decide(new PolicyInput(caller, action, tenantId, settings.tags(),
                settings.region()));
        if (!decision.allowed()) {
            LOG.info(() -> "policy denied action=" + action + " subject=" + caller.subject()
                    + " tenant_id=" + tenantId + " rule=" + decision.rule());
            throw new CoherenceException(ErrorCode.FORBIDDEN,
                    "not allowed to " + action.name().toLowerCase() + " tenant " + tenantId);
        }
    }
}
