package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.retention.RetentionService;
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

/** Retention on request: {@code runRetention}, a thin call into the retention service. */
@GraphQLApi
@ApplicationScoped
public class RetentionGraphQLApi {

    @Inject
    RetentionService retention;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    GraphQLRefusals refusals;

    @Mutation("runRetention")
    @TracedOperation("graphql mutation runRetention")
    @Description("Runs retention now for one tenant (coherence:admin, own tenant): deletes its signals older than its retention tier, none under legal hold; a dry run deletes nothing and reports what would go.")
    public @NonNull RetentionReportView runRetention(@Name("tenantId") @Id @NonNull String tenantId,
                                                     @Name("dryRun") @NonNull boolean dryRun) throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            return new RetentionReportView(retention.runNow(caller, tenantId, dryRun));
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }
}
