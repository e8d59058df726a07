package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.interfaces.telemetry.TracedOperationInterceptor;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Turns an application refusal inside a resolver into what MicroProfile GraphQL shows (a
 * {@link GraphQLRefusal} with the message) and notes its code and violations on the request's
 * {@link GraphQLRequest}, where the answer's rewrite reads them.
 */
@RequestScoped
public class GraphQLRefusals {

    @Inject
    HttpServletRequest request;

    GraphQLRefusal refuse(CoherenceException e) {
        TracedOperationInterceptor.refused(e.code().name());
        GraphQLRequest graphql = GraphQLRequest.of(request);
        if (graphql != null) {
            graphql.raised(e.code(), e.getMessage(), e.violations());
        }
        return new GraphQLRefusal(e.getMessage());
    }
}
