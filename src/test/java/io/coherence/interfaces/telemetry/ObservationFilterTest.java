package io.coherence.interfaces.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ingest.IngestReceipt;
import io.coherence.interfaces.OperationOutcome;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter without a server: what it names the operation and what its log line says. */
class ObservationFilterTest {

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final ObservationFilter filter = new ObservationFilter();

    @BeforeEach
    void captureTheOperationLog() {
        OperationLog.LOG.addHandler(capture);
    }

    @AfterEach
    void release() {
        OperationLog.LOG.removeHandler(capture);
    }

    @Test
    void latencyIsWrittenInMillisecondsWithOneDecimalRoundedHalfUp() {
        assertThat(ObservationFilter.millis(0)).isEqualTo("0.0");
        assertThat(ObservationFilter.millis(49_999)).isEqualTo("0.0");
        assertThat(ObservationFilter.millis(50_000)).isEqualTo("0.1");
        assertThat(ObservationFilter.millis(1_234_567)).isEqualTo("1.2");
        assertThat(ObservationFilter.millis(12_960_000)).isEqualTo("13.0");
        assertThat(ObservationFilter.millis(61_000_000_000L)).isEqualTo("61000.0");
    }

    @Test
    void namesGraphQLOperationsByTheTypeTheRequestFilterResolved() {
        Map<String, Object> attributes = new HashMap<>();
        HttpServletRequest request = request("/graphql", attributes);
        assertThat(ObservationFilter.operation(request)).isEqualTo("graphql");

        OperationOutcome.graphqlOperation(request, "mutation");

        assertThat(ObservationFilter.operation(request)).isEqualTo("graphql mutation");
        assertThat(ObservationFilter.operation(request("/v1/coherence/signals", new HashMap<>()))).isEqualTo("ingest");
        assertThat(ObservationFilter.operation(request("/v1/admin/dead-letters/replay", new HashMap<>())))
                .isEqualTo("dead-letter replay");
    }

    @Test
    void logsOneLineWithTheOutcomeTheChainNoted() throws Exception {
        HttpServletRequest request = request("/v1/coherence/signals", new HashMap<>());

        filter.doFilter((ServletRequest) request, response(403), (req, res) -> OperationOutcome.refused(req, "FORBIDDEN"));

        assertThat(logged).hasSize(1);
        String line = logged.get(0).getMessage();
        assertThat(line).startsWith("operation op=ingest status=403").contains("error_code=FORBIDDEN")
                .containsPattern("latency_ms=\\d+\\.\\d")
                .doesNotContain("trace_id").doesNotContain("Bearer");
    }

    @Test
    void aBatchLogsAtMostTwentyProvenanceIdsAndItsSize() throws Exception {
        HttpServletRequest request = request("/v1/coherence/signals", new HashMap<>());
        List<IngestReceipt.Item> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            items.add(new IngestReceipt.Item("s" + i, "p" + i, "accepted"));
        }

        filter.doFilter((ServletRequest) request, response(202), (req, res) -> OperationOutcome.ingested(req, items));

        String line = logged.get(0).getMessage();
        assertThat(line).contains("signals=25").contains("provenance_id=p0,p1,").contains(",p19")
                .doesNotContain("p20");
    }

    @Test
    void theLogLineCarriesTheTenantAndTheTraceTheInterceptorNoted() throws Exception {
        HttpServletRequest request = request("/graphql", new HashMap<>());
        ObservationFilter tenantKnown = new ObservationFilter() {
            @Override
            String tenant(HttpServletRequest r) {
                return "tenant-7";
            }
        };
        SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        tenantKnown.doFilter((ServletRequest) request, response(200), (req, res) -> OperationOutcome.traced(req, span));

        assertThat(logged.get(0).getMessage()).contains("tenant_id=tenant-7")
                .contains("trace_id=0af7651916cd43dd8448eb211c80319c").contains("span_id=b7ad6b7169203331");
    }

    private static HttpServletRequest request(String uri, Map<String, Object> attributes) {
        return (HttpServletRequest) Proxy.newProxyInstance(ObservationFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getRequestURI" -> uri;
                    case "getAttribute" -> attributes.get((String) args[0]);
                    case "setAttribute" -> attributes.put((String) args[0], args[1]);
                    case "getUserPrincipal" -> null;
                    default -> null;
                });
    }

    private static HttpServletResponse response(int status) {
        return (HttpServletResponse) Proxy.newProxyInstance(ObservationFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getStatus" -> status;
                    default -> null;
                });
    }

    @Test
    void anOperationThatFailedInsideA200CountsAsTheStatusItsCodeStandsFor() {
        assertThat(ObservationFilter.failedOperationStatus(null)).isZero();
        assertThat(ObservationFilter.failedOperationStatus("STORE_UNAVAILABLE")).isEqualTo(503);
        assertThat(ObservationFilter.failedOperationStatus("OUTCOME_UNKNOWN")).isEqualTo(503);
        assertThat(ObservationFilter.failedOperationStatus("INTERNAL")).isEqualTo(500);
        assertThat(ObservationFilter.failedOperationStatus("FORBIDDEN")).isEqualTo(403);
        // Answered 200 by GraphQL's own rules: not a failed operation of ours.
        assertThat(ObservationFilter.failedOperationStatus("GRAPHQL_VALIDATION_FAILED")).isZero();
        assertThat(ObservationFilter.failedOperationStatus("no such code")).isEqualTo(500);
    }
}
