package io.coherence.domain.policy;

/**
 * The access rules, in Java: the twin of {@code opa/graphql.rego}, held to the same decision
 * table ({@code opa/testdata/decisions.json}). A caller may read a tenant with
 * {@code coherence:read} and write it with {@code coherence:write}, only the tenant its token
 * names; {@code coherence:admin} permits governing that same tenant's data (policy, retention,
 * erasure, ledger) and operator work (dead-letter replay) on any tenant. Nothing is allowed on data
 * whose residency is not the deployment's region. A denial names the first rule that failed, in
 * this order: token_without_tenant, cross_tenant, missing_scope_&lt;scope&gt;, residency_mismatch.
 */
public final class AuthzRules implements PolicyDecisionPoint {

    @Override
    public Decision decide(PolicyInput input) {
        Caller caller = input.caller();
        Action action = input.action();
        if (action != Action.ADMIN) {
            if (caller.tenant().isEmpty()) {
                return Decision.deny("token_without_tenant");
            }
            if (!caller.tenant().get().equals(input.tenantId())) {
                return Decision.deny("cross_tenant");
            }
        }
        if (!caller.hasScope(action.scope())) {
            return Decision.deny("missing_scope_" + action.scope());
        }
        if (!input.tags().residency().equals(input.region())) {
            return Decision.deny("residency_mismatch");
        }
        return Decision.allow(switch (action) {
            case READ -> "graphql.allow";
            case WRITE -> "graphql.allow_write";
            case ADMIN -> "graphql.allow_admin";
            case GOVERN -> "graphql.allow_govern";
        });
    }
}
