package io.coherence.application.security;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyDecisionPoint;
import io.coherence.domain.policy.PolicyInput;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/** The policy enforcement point: every entry point asks here, and only here, before acting. */
@ApplicationScoped
public class PolicyEnforcer {

    private static final Logger LOG = Logger.getLogger(PolicyEnforcer.class.getName());

    private final PolicyDecisionPoint decisionPoint;
    private final PolicySettings settings;
    private final TenantDataPolicies policies;
    private final MetricRegistry metrics;

    /** For the CDI client proxy only. */
    protected PolicyEnforcer() {
        this(null, null, null, null);
    }

    /** Without metrics, every tenant with the default data policy (tests). */
    public PolicyEnforcer(PolicyDecisionPoint decisionPoint, PolicySettings settings) {
        this(decisionPoint, settings, tenant -> TenantDataPolicy.defaults(tenant, settings.tags()), null);
    }

    /**
     * Tells the decision point the tenant's own data policy tags; counts denials in
     * {@code policy_denials_total{action,rule}}.
     */
    @Inject
    public PolicyEnforcer(PolicyDecisionPoint decisionPoint, PolicySettings settings, TenantDataPolicies policies,
                          MetricRegistry metrics) {
        this.decisionPoint = decisionPoint;
        this.settings = settings;
        this.policies = policies;
        this.metrics = metrics;
    }

    public Caller authenticated(Optional<Caller> caller) {
        return caller.orElseThrow(() -> new CoherenceException(ErrorCode.UNAUTHENTICATED,
                "a valid bearer token is required"));
    }

    public void require(Caller caller, Action action, String tenantId) {
        Decision decision = decisionPoint.decide(new PolicyInput(caller, action, tenantId,
                tagsOf(tenantId), settings.region()));
        if (!decision.allowed()) {
            if (metrics != null) {
                metrics.counter("policy_denials", new Tag("action", action.policyName()), new Tag("rule", decision.rule())).inc();
            }
            LOG.info(() -> "policy denied action=" + action + " subject=" + caller.subject()
                    + " tenant_id=" + tenantId + " rule=" + decision.rule());
            throw new CoherenceException(ErrorCode.FORBIDDEN,
                    "not allowed to " + action.name().toLowerCase() + " tenant " + tenantId);
        }
    }

    /** A blank tenant id is no tenant: the decision denies it on the default tags. */
    private PolicyTags tagsOf(String tenantId) {
        return tenantId == null || tenantId.isBlank() ? settings.tags() : policies.of(TenantId.of(tenantId)).tags();
    }
}
