package io.coherence.domain.policy;

/**
 * The seed's graphql.rego rules: a caller may read a tenant with {@code coherence:read} and write
 * it with {@code coherence:write}, and only the tenant its token names.
 */
public final class TenantScopeRules implements PolicyDecisionPoint {

    @Override
    public Decision decide(PolicyInput input) {
        Caller caller = input.caller();
        if (caller.tenant().isEmpty()) {
            return Decision.deny("token_without_tenant");
        }
        if (!caller.tenant().get().equals(input.tenantId())) {
            return Decision.deny("cross_tenant");
        }
        if (!caller.hasScope(input.action().scope())) {
            return Decision.deny("missing_scope_" + input.action().scope());
        }
        return Decision.allow(input.action() == Action.READ ? "graphql.allow" : "graphql.allow_write");
    }
}
