package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.ingest.IngestService;
import io.coherence.application.query.ScoreAnswer;
import io.coherence.application.query.ScoreHistoryService;
import io.coherence.application.query.ScoreQueryService;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.OperationOutcome;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

/**
 * The seed SDL's query and mutation; each a thin call into the application layer. One instance for
 * all requests, as every GraphQL API and REST resource here: the caller and the refusals are
 * request-scoped beans reached through their proxies.
 */
@GraphQLApi
@ApplicationScoped
public class CoherenceGraphQLApi {

    @Inject
    ScoreQueryService scores;

    @Inject
    ScoreHistoryService history;

    @Inject
    IngestService ingest;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    GraphQLRefusals refusals;

    @Inject
    HttpServletRequest request;

    @Query("tenantCoherence")
    @TracedOperation("graphql query tenantCoherence")
    @Description("Aggregate coherence score of a tenant (weighted mean of its signals over the last 24 h).")
    public @NonNull CoherenceScoreView tenantCoherence(@Name("tenantId") @Id @NonNull String tenantId)
            throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            ScoreAnswer answer = scores.tenantCoherence(caller, tenantId);
            if (answer.degraded()) {
                OperationOutcome.degraded(request);
            }
            return CoherenceScoreView.of(answer.score());
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }

    @Query("tenantCoherenceHistory")
    @TracedOperation("graphql query tenantCoherenceHistory")
    @Description("The tenant's score at whole minutes from `from` to `to` (ISO-8601 instants, at most 7 days apart), every "
            + "`step` (an ISO-8601 duration of whole minutes, e.g. PT5M; at most 1,500 points): each point the score "
            + "of the 24 h ending there, from stored per-minute sums. Needs coherence:read on the tenant.")
    public @NonNull List<@NonNull CoherencePointView> tenantCoherenceHistory(@Name("tenantId") @Id @NonNull String tenantId,
                                                                           @Name("from") @NonNull String from,
                                                                           @Name("to") @NonNull String to,
                                                                           @Name("step") @NonNull String step)
            throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            return history.history(caller, tenantId, from, to, step).stream().map(CoherencePointView::new).toList();
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }

    @Mutation("publishCoherenceSignal")
    @TracedOperation("graphql mutation publishCoherenceSignal")
    @Description("Publishes one signal; true once it is durably stored (also when it was a duplicate).")
    public boolean publishCoherenceSignal(@Name("input") @NonNull PublishCoherenceSignalInput input)
            throws GraphQLRefusal {
        try {
            Caller caller = enforcer.authenticated(callers.current());
            OperationOutcome.ingested(request, ingest.ingest(caller, List.of(input.toSubmission()), false, "graphql").items());
            return true;
        } catch (CoherenceException e) {
            throw refusals.refuse(e);
        }
    }
}
