package io.coherence.interfaces;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.LoweredTenantRate;
import io.coherence.testsupport.KafkaTestClient;
import io.coherence.testsupport.TestServerIT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The metrics at /metrics (Prometheus text) after real traffic: the seed's names, labels and
 * histogram buckets, so its alert and dashboard expressions work unchanged, and the counters of
 * refusals, denials, cache use, transactions and the materializer. No tenant id in any label.
 */
@TestServerIT
class MetricsIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();

    /** The value of the first series of this name carrying all these labels (any order); -1 if none. */
    private static double value(String metrics, String name, String... labels) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && Stream.of(labels).allMatch(l -> line.contains(l.replace("'", "\"") + ","))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return -1;
    }

    private static void assertSeries(String metrics, String name, String... labels) {
        assertThat(value(metrics, name, labels)).as(name + " " + List.of(labels)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void trafficShowsUpUnderTheSeedsNamesAndTheOperationalCounters() {
        String tenant = "it-metrics-" + UUID.randomUUID();
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        String before = api.get("/metrics").body();
        double queriesBefore = Math.max(0, value(before, "graphql_request_duration_seconds_count", "op='query'"));

        String signal = "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\",\"signalId\":\"m-1\","
                + "\"ts\":\"2026-11-22T00:00:00Z\"}";
        assertThat(api.ingest(signal, token).statusCode()).isEqualTo(202);
        assertThat(api.ingest(signal, token).statusCode()).isEqualTo(202);
        api.graphql("k6-read.graphql", Map.of("t", tenant), token);
        api.graphql("k6-write.graphql", Map.of("input", Map.of("tenantId", tenant, "type", "t", "value", 0.7, "source", "s")),
                token);
        // A denial (another tenant) and a request with no operation.
        api.graphql("k6-read.graphql", Map.of("t", "someone-else"), token);
        api.postGraphqlBody("{}", token);
        try (LoweredTenantRate low = LoweredTenantRate.to(api, 2)) {
            Eventually.await("a tenant over its rate is refused", Duration.ofSeconds(30),
                    () -> api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode() == 429);
        }
        Eventually.await("the materializer ran", Duration.ofSeconds(30),
                () -> api.get("/metrics").body().contains("materializer_run_duration_seconds_count"));

        String metrics = api.get("/metrics").body();
        // The seed's histogram, with its buckets (its alert: ..._bucket{op="query"}), and the status counter.
        for (String le : List.of("0.05", "0.1", "0.2", "0.35", "0.7", "1.0", "1.5", "3.0", "+Inf")) {
            assertSeries(metrics, "graphql_request_duration_seconds_bucket", "op='query'", "le='" + le + "'");
        }
        assertThat(value(metrics, "graphql_request_duration_seconds_count", "op='query'")).isGreaterThanOrEqualTo(queriesBefore + 2);
        assertSeries(metrics, "graphql_request_duration_seconds_count", "op='mutation'");
        assertSeries(metrics, "graphql_request_duration_seconds_count", "op='unknown'");
        assertSeries(metrics, "graphql_requests_total", "status='200'");
        assertSeries(metrics, "graphql_requests_total", "status='429'");
        // The denial above is answered 200 with FORBIDDEN: counted by what its code stands for.
        assertSeries(metrics, "graphql_operation_errors_total", "status='403'");
        // Registered at start, so ErasureRequestFailed's increase() sees a replica's first failure.
        assertSeries(metrics, "erasure_requests_total", "status='failed'");
        assertSeries(metrics, "rate_limit_rejections_total", "limit='tenant'");
        assertSeries(metrics, "policy_denials_total", "action='read'", "rule='cross_tenant'");
        assertSeries(metrics, "score_cache_requests_total");
        assertThat(value(metrics, "score_near_cache_requests_total", "result='miss'")).as("the first read of a tenant")
                .isGreaterThanOrEqualTo(1);
        assertSeries(metrics, "ingest_request_signals_count", "channel='http'");
        assertSeries(metrics, "ingest_transaction_signals_count");
        assertSeries(metrics, "ingest_transaction_duration_seconds_count");
        assertSeries(metrics, "materializer_run_duration_seconds_count");
        assertSeries(metrics, "materializer_lag_seconds");
        assertSeries(metrics, "idempotency_keys_unrecorded");
        assertSeries(metrics, "idempotency_keys_expired_total");
        assertThat(value(metrics, "ingest_dedupe_rate")).as("the second ingest was a duplicate").isGreaterThan(0.0)
                .isLessThanOrEqualTo(1.0);
        assertThat(value(metrics, "ingest_events_processed_total", "channel='http'", "outcome='duplicate'")).isGreaterThanOrEqualTo(1);
        assertThat(metrics).doesNotContain(tenant).doesNotContain("someone-else");
    }

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsExported() throws Exception {
        // Traffic that makes every series exist: a Kafka record, a dead letter, a read.
        String tenant = "it-metrics-" + UUID.randomUUID();
        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            kafka.produce(tenant, "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.5,\"source\":\"s\"}");
            kafka.awaitCommittedPast(kafka.produce(tenant, "not json"), Duration.ofSeconds(60));
        }
        api.graphql("k6-read.graphql", Map.of("t", tenant), api.token(tenant, CoherenceClient.READ_WRITE));
        Path observability = Path.of(System.getProperty("basedir", ".")).resolve("charts/coherence/files");
        Set<String> used = new TreeSet<>();
        used.addAll(MetricNames.inPrometheusRules(Files.readString(observability.resolve("prometheus-rules.yaml"))));
        used.addAll(MetricNames.inGrafanaDashboard(Files.readString(observability.resolve("grafana-dashboard.json"))));
        assertThat(used).contains("graphql_request_duration_seconds_bucket", "graphql_requests_total",
                "subscription_fanout_latency_ms_bucket", "materializer_lag_seconds", "score_cache_requests_total");

        Eventually.await("the Kafka lag was measured", Duration.ofSeconds(30),
                () -> api.get("/metrics").body().contains("ingest_kafka_consumer_lag{"));
        String metrics = api.get("/metrics").body();
        Set<String> exported = new TreeSet<>();
        for (String line : metrics.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(exported).containsAll(used);
    }
}
