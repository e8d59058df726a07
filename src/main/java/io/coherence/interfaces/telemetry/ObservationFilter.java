package io.coherence.interfaces.telemetry;

import io.coherence.application.ErrorCode;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.ErrorStatus;
import io.coherence.interfaces.OncePerRequestFilter;
import io.coherence.interfaces.OperationOutcome;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Outermost on /graphql and /v1, one clock for both records of a request, refusals by the filters
 * behind it included:
 * <ul>
 * <li>one line in the operation log once the answer is out;</li>
 * <li>on /graphql, the seed's metrics: {@code graphql_request_duration_seconds{op}} (a histogram
 *     with the seed's buckets, so its alert expressions work unchanged; {@code op} is the operation
 *     type: query, mutation, or unknown when no operation was resolved) and
 *     {@code graphql_requests_total{status}} (the HTTP status). No tenant or operation name labels:
 *     they would grow without bound. GraphQL over HTTP answers an operation that failed while it
 *     ran (a store outage, a refusal) with 200 and errors, which that status cannot show, so
 *     {@code graphql_operation_errors_total{status}} counts those answers by the status their first
 *     error code stands for ({@link ErrorStatus}): {@code status="503"} is a store outage inside a
 *     200, which the error-budget alerts add to the 5xx answers.</li>
 * </ul>
 * The operation's span is {@link TracedOperationInterceptor}'s: servlet filters declared in web.xml
 * run before Liberty's tracing filter, so none of them can be inside the request's trace.
 */
public class ObservationFilter extends OncePerRequestFilter {

    private static final long serialVersionUID = 1L;
    /** At most this many provenance ids are written on a batch's log line; the answer has them all. */
    static final int LOGGED_PROVENANCE_IDS = 20;

    @Inject
    transient MetricRegistry registry;
    /** The registry's instruments, looked up once per label value (a lookup builds a metric id). */
    private final transient Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final transient Map<Integer, Counter> requests = new ConcurrentHashMap<>();
    private final transient Map<Integer, Counter> operationErrors = new ConcurrentHashMap<>();

    @Override
    protected void doFilterOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long started = System.nanoTime();
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            long elapsed = System.nanoTime() - started;
            log(request, status, elapsed);
            if (registry != null && request.getRequestURI().startsWith("/graphql")) {
                String op = OperationOutcome.graphqlOperation(request);
                durations.computeIfAbsent(op == null ? "unknown" : op,
                        o -> registry.timer("graphql_request_duration", new Tag("op", o))).update(Duration.ofNanos(elapsed));
                requests.computeIfAbsent(status,
                        s -> registry.counter("graphql_requests", new Tag("status", Integer.toString(s)))).inc();
                int failed = status == 200 ? failedOperationStatus(OperationOutcome.errorCode(request)) : 0;
                if (failed > 0) {
                    operationErrors.computeIfAbsent(failed,
                            s -> registry.counter("graphql_operation_errors", new Tag("status", Integer.toString(s)))).inc();
                }
            }
        }
    }

    /**
     * The status the error code of an operation answered 200 stands for, or 0 when there is none
     * (no error, or a code GraphQL answers with 200 anyway: a document that does not parse or
     * validate, an unknown persisted-query hash). A name no code has counts as 500.
     */
    static int failedOperationStatus(String code) {
        if (code == null) {
            return 0;
        }
        int status;
        try {
            status = ErrorStatus.of(ErrorCode.valueOf(code));
        } catch (IllegalArgumentException unknown) {
            status = 500;
        }
        return status >= 400 ? status : 0;
    }

    private void log(HttpServletRequest request, int status, long elapsedNanos) {
        List<String> provenance = OperationOutcome.provenanceIds(request);
        OperationOutcome.Trace trace = OperationOutcome.trace(request);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("op", operation(request));
        fields.put("tenant_id", tenant(request));
        fields.put("status", Integer.toString(status));
        fields.put("latency_ms", millis(elapsedNanos));
        fields.put("error_code", OperationOutcome.errorCode(request));
        fields.put("signals", provenance.isEmpty() ? null : Integer.toString(provenance.size()));
        fields.put("provenance_id", String.join(",", provenance.subList(0, Math.min(provenance.size(), LOGGED_PROVENANCE_IDS))));
        fields.put("trace_id", trace == null ? null : trace.traceId());
        fields.put("span_id", trace == null ? null : trace.spanId());
        OperationLog.write(fields);
    }

    /** Milliseconds with one decimal, as {@code %.1f} would write them (without a Formatter per request). */
    static String millis(long nanos) {
        long tenths = (nanos + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }

    /** The tenant the caller's token acts for; null without a valid token. */
    String tenant(HttpServletRequest request) {
        return CallerContext.callerOf(request).flatMap(Caller::tenant).orElse(null);
    }

    /** What the request ran, as far as it is known: {@code graphql <type>} once the document was read. */
    static String operation(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri.startsWith("/graphql")) {
            String type = OperationOutcome.graphqlOperation(request);
            return type == null ? "graphql" : "graphql " + type;
        }
        if (uri.startsWith("/v1/coherence/signals")) {
            return "ingest";
        }
        if (uri.startsWith("/v1/admin/dead-letters")) {
            return "dead-letter replay";
        }
        return "v1";
    }
}
