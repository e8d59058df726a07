package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.tenant.DataPolicyService;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** A tenant's data policy: read it, change it; each a thin call into the application layer. */
@GraphQLApi
@ApplicationScoped
public class DataPolicyGraphQLApi {

    @Inject
    DataPolicyService policies;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    GraphQLRefusals refusals;

    @Query("tenantDataPolicy")
    @TracedOperation("graphql query tenantDataPolicy")
    @Description("The tenant's data policy (the defaults until it sets its own). Needs coherence:read on the tenant.")
    public @NonNull TenantDataPolicyView tenantDataPolicy(@Name("tenantId") @Id @NonNull String tenantId)
            throws GraphQLRefusal {
        try {
            return new TenantDataPolicyView(policies.get(enforcer.authenticated(callers.current()), tenantId));
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }

    @Mutation("setTenantDataPolicy")
    @TracedOperation("graphql mutation setTenantDataPolicy")
    @Description("Changes the fields given (absent ones stay). Needs coherence:admin on the tenant.")
    public @NonNull TenantDataPolicyView setTenantDataPolicy(@Name("input") @NonNull TenantDataPolicyInput input)
            throws GraphQLRefusal {
        try {
            return new TenantDataPolicyView(policies.change(enforcer.authenticated(callers.current()), input.toChange()));
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }
}
