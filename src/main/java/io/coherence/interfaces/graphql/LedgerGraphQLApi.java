package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.provenance.LedgerService;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/** The provenance ledger's GraphQL operations; each a thin call into the application layer. */
@GraphQLApi
@ApplicationScoped
public class LedgerGraphQLApi {

    @Inject
    LedgerService ledger;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    GraphQLRefusals refusals;

    @Query("verifyLedger")
    @TracedOperation("graphql query verifyLedger")
    @Description("Checks the tenant's provenance ledger (coherence:admin on the token's own tenant).")
    public @NonNull LedgerVerificationView verifyLedger(@Name("tenantId") @Id @NonNull String tenantId) throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            return LedgerVerificationView.of(ledger.verify(caller, tenantId));
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }
}
