package io.coherence.interfaces;

import io.coherence.application.ingest.IngestReceipt;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.servlet.ServletRequest;
import java.util.List;

/**
 * What an API request came to, noted on the request by whoever decided it (a filter's refusal, an
 * exception mapper, the GraphQL error filter, the ingest resource) for the operation log to report.
 */
public final class OperationOutcome {

    static final String ERROR_CODE = OperationOutcome.class.getName() + ".errorCode";
    static final String PROVENANCE_IDS = OperationOutcome.class.getName() + ".provenanceIds";
    static final String GRAPHQL_OPERATION = OperationOutcome.class.getName() + ".graphqlOperation";
    static final String TRACE = OperationOutcome.class.getName() + ".trace";
    static final String DEGRADED = OperationOutcome.class.getName() + ".degraded";

    /** The trace and span of the operation, in W3C hex. */
    public record Trace(String traceId, String spanId) {
    }

    private OperationOutcome() {
    }

    /** The request was refused with this code; the first refusal noted is the one reported. */
    public static void refused(ServletRequest request, String code) {
        if (request != null && request.getAttribute(ERROR_CODE) == null) {
            request.setAttribute(ERROR_CODE, code);
        }
    }

    /** The request's signals were committed (or found to be duplicates) with these provenance ids. */
    public static void ingested(ServletRequest request, List<IngestReceipt.Item> items) {
        if (request != null) {
            request.setAttribute(PROVENANCE_IDS, items.stream().map(IngestReceipt.Item::provenanceId).toList());
        }
    }

    /** The answer was computed from the signal graph because the materialized scores were unavailable. */
    public static void degraded(ServletRequest request) {
        if (request != null) {
            request.setAttribute(DEGRADED, Boolean.TRUE);
        }
    }

    public static boolean isDegraded(ServletRequest request) {
        return Boolean.TRUE.equals(request.getAttribute(DEGRADED));
    }

    /** The type of the GraphQL operation the request runs: query, mutation, subscription, or unknown. */
    public static void graphqlOperation(ServletRequest request, String type) {
        request.setAttribute(GRAPHQL_OPERATION, type);
    }

    /** The GraphQL operation type noted, or null when none was resolved (a refusal before parsing). */
    public static String graphqlOperation(ServletRequest request) {
        return (String) request.getAttribute(GRAPHQL_OPERATION);
    }

    /** The operation's span, when tracing is on (an invalid span context notes nothing). */
    public static void traced(ServletRequest request, SpanContext span) {
        if (request != null && span.isValid()) {
            request.setAttribute(TRACE, new Trace(span.getTraceId(), span.getSpanId()));
        }
    }

    public static Trace trace(ServletRequest request) {
        return (Trace) request.getAttribute(TRACE);
    }

    public static String errorCode(ServletRequest request) {
        return (String) request.getAttribute(ERROR_CODE);
    }

    @SuppressWarnings("unchecked")
    public static List<String> provenanceIds(ServletRequest request) {
        Object ids = request.getAttribute(PROVENANCE_IDS);
        return ids == null ? List.of() : (List<String>) ids;
    }
}
