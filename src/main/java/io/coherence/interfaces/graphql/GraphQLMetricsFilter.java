package io.coherence.interfaces.graphql;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import io.coherence.interfaces.OncePerRequestFilter;
import io.coherence.interfaces.OperationOutcome;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The seed's GraphQL metrics, around everything else on {@code /graphql} (refusals by the feature
 * gate, the rate limits and the document limits count too): {@code graphql_request_duration_seconds{op}}
 * (a histogram with the seed's buckets, so its alert expressions work unchanged; {@code op} is the
 * operation type: query, mutation, or unknown when no operation was resolved) and
 * {@code graphql_requests_total{status}} (the HTTP status). No tenant or operation name labels:
 * they would grow without bound.
 */
public class GraphQLMetricsFilter extends OncePerRequestFilter {

    private static final long serialVersionUID = 1L;
    @Inject
    transient MetricRegistry registry;

    @Override
    protected void doFilterOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            String op = OperationOutcome.graphqlOperation(request);
            registry.timer("graphql_request_duration", new Tag("op", op == null ? "unknown" : op))
                    .update(Duration.ofNanos(System.nanoTime() - started));
            registry.counter("graphql_requests", new Tag("status", Integer.toString(status))).inc();
        }
    }

    /** query, mutation or subscription: the operation the request runs; unknown if there is none. */
    static String operationType(Document document, String operationName) {
        OperationDefinition operation = ApiSchema.selectedOperation(document, operationName);
        return operation == null ? "unknown" : operation.getOperation().name().toLowerCase(Locale.ROOT);
    }
}
