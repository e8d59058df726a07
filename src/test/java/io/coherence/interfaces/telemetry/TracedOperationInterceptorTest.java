package io.coherence.interfaces.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.interfaces.OperationOutcome;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import jakarta.interceptor.InvocationContext;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** The interceptor without a server: the tenant's baggage lives exactly as long as the operation. */
class TracedOperationInterceptorTest {

    private final Map<String, Object> attributes = new HashMap<>();
    private final TracedOperationInterceptor interceptor = new TracedOperationInterceptor() {
        @Override
        String tenant() {
            return "tenant-7";
        }
    };

    TracedOperationInterceptorTest() {
        interceptor.tracer = OpenTelemetry.noop().getTracer("test");
        interceptor.request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    default -> null;
                });
    }

    @TracedOperation("ingest")
    void annotated() {
    }

    @Test
    void theTenantIsInTheBaggageOfEverythingBeneathAndNotAfter() throws Exception {
        List<String> seen = new ArrayList<>();

        Object answer = interceptor.trace(invocation(() -> {
            seen.add(Baggage.current().getEntryValue("tenant_id"));
            return "done";
        }));

        assertThat(answer).isEqualTo("done");
        assertThat(seen).containsExactly("tenant-7");
        assertThat(Baggage.current().getEntryValue("tenant_id")).isNull();
    }

    @Test
    void aRefusalPassesThroughUnchangedAndNoTraceIsNotedWithTracingOff() {
        CoherenceException refusal = new CoherenceException(ErrorCode.FORBIDDEN, "not yours", List.of(), null);

        assertThatThrownBy(() -> interceptor.trace(invocation(() -> {
            throw refusal;
        }))).isSameAs(refusal);
        // The no-op tracer's span context is invalid: the log line then carries no trace id.
        assertThat(OperationOutcome.trace(interceptor.request)).isNull();
    }

    private InvocationContext invocation(Callable<Object> body) throws NoSuchMethodException {
        Method method = TracedOperationInterceptorTest.class.getDeclaredMethod("annotated");
        return (InvocationContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {InvocationContext.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "proceed" -> body.call();
                    default -> null;
                });
    }
}
