package io.coherence.interfaces.telemetry;

import io.coherence.application.CoherenceException;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.OperationOutcome;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The span of an API operation, inside Liberty's HTTP server span (so it continues the caller's
 * {@code traceparent}): {@code tenant_id} as an attribute and in the baggage of everything
 * beneath, {@code coherence.error_code} when the operation is refused. Its trace and span ids go
 * on the request for the operation log. With OpenTelemetry off, the span is a no-op.
 */
@TracedOperation
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class TracedOperationInterceptor {

    @Inject
    Tracer tracer;

    @Inject
    HttpServletRequest request;

    @AroundInvoke
    public Object trace(InvocationContext invocation) throws Exception {
        TracedOperation operation = invocation.getMethod().getAnnotation(TracedOperation.class);
        String name = operation == null || operation.value().isEmpty() ? invocation.getMethod().getName() : operation.value();
        String tenant = tenant();
        Span span = tracer.spanBuilder(name).startSpan();
        Context context = Context.current().with(span);
        if (tenant != null) {
            span.setAttribute("tenant_id", tenant);
            context = context.with(Baggage.current().toBuilder().put("tenant_id", tenant).build());
        }
        OperationOutcome.traced(request, span.getSpanContext());
        try (Scope ignored = context.makeCurrent()) {
            return invocation.proceed();
        } catch (CoherenceException e) {
            refused(e.code().name());
            throw e;
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Notes a refusal on the operation's span; callers that turn the refusal into an answer call it themselves. */
    public static void refused(String code) {
        Span.current().setAttribute("coherence.error_code", code);
    }

    String tenant() {
        return CallerContext.callerOf(request).flatMap(Caller::tenant).orElse(null);
    }
}
