package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.erasure.ErasureService;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
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

/** Erasure (right to be forgotten): queue a request, read one back (docs/erasure.md). */
@GraphQLApi
@ApplicationScoped
public class ErasureGraphQLApi {

    @Inject
    ErasureService erasure;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    GraphQLRefusals refusals;

    @Mutation("requestErasure")
    @TracedOperation("graphql mutation requestErasure")
    @Description("Queues the erasure of a signal source (subjectId), or of every signal of the tenant (subjectId \"*\"). "
            + "Needs coherence:admin for the tenant. Under legal hold the request is REFUSED and nothing is erased.")
    public @NonNull ErasureRequestView requestErasure(@Name("input") @NonNull ErasureRequestInput input)
            throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            return ErasureRequestView.of(erasure.requestErasure(caller, input.getTenantId(), input.getSubjectId(),
                    input.getScope()));
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }

    @Query("erasureRequest")
    @TracedOperation("graphql query erasureRequest")
    @Description("An erasure request of the tenant, or null when the tenant has none with this id. Needs coherence:admin.")
    public ErasureRequestView erasureRequest(@Name("tenantId") @Id @NonNull String tenantId,
                                             @Name("id") @Id @NonNull String id) throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            return erasure.erasureRequest(caller, tenantId, id).map(ErasureRequestView::of).orElse(null);
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }
}
