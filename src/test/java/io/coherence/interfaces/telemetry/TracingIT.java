package io.coherence.interfaces.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.KafkaTestClient;
import io.coherence.testsupport.TestServerIT;
import io.coherence.testsupport.TraceParent;
import io.coherence.testsupport.OtlpTraceReceiver;
import io.coherence.testsupport.OtlpTraceReceiver.ReceivedSpan;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Traces as the test server exports them over OTLP/HTTP to a real receiver: each request's span
 * tree continues the caller's {@code traceparent}, carries {@code tenant_id}, and reaches the store
 * calls beneath it, the group-committed Neo4j write included; the materializer's runs have theirs.
 */
@TestServerIT
class TracingIT {

    private static final Duration EXPORTED = Duration.ofSeconds(30);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final OtlpTraceReceiver receiver = OtlpTraceReceiver.shared();

    @Test
    void anIngestRequestsTraceReachesTheNeo4jWriteThatMadeItDurable() {
        String tenant = "it-trace-" + UUID.randomUUID();
        String traceId = TraceParent.newTraceId();
        String body = "{\"tenantId\":\"" + tenant + "\",\"type\":\"latency\",\"value\":0.5,\"source\":\"trace\",\"ts\":\""
                + Instant.now() + "\"}";

        HttpResponse<String> response = api.postTraced("/v1/coherence/signals", api.token(tenant, CoherenceClient.READ_WRITE), traceId, body);
        assertThat(response.statusCode()).isEqualTo(202);

        ReceivedSpan ingest = awaitSpan(traceId, "ingest");
        // The server span ends (and is exported) after the operation span beneath it.
        Eventually.await("the server span above the operation", EXPORTED, () -> byId(traceId, ingest.parentSpanId()).isPresent());
        ReceivedSpan server = byId(traceId, ingest.parentSpanId()).orElseThrow();
        assertThat(server.kind()).isEqualTo("SERVER");
        assertThat(server.attribute("http.response.status_code")).isEqualTo("202");
        assertThat(ingest.attribute("tenant_id")).isEqualTo(tenant);
        assertThat(ingest.service()).isEqualTo("coherence");

        // The write that made the signal durable: in this trace, or linked to it when the
        // transaction was shared with another request that came first.
        Eventually.await("the group commit span of this request", EXPORTED, () -> groupCommitOf(traceId, ingest).isPresent());
        ReceivedSpan commit = groupCommitOf(traceId, ingest).orElseThrow();
        Eventually.await("the Neo4j write beneath the group commit", EXPORTED, () -> receiver.trace(commit.traceId()).stream()
                .anyMatch(s -> s.name().equals("neo4j save signals") && s.parentSpanId().equals(commit.spanId())));
        ReceivedSpan write = receiver.trace(commit.traceId()).stream()
                .filter(s -> s.name().equals("neo4j save signals") && s.parentSpanId().equals(commit.spanId()))
                .findFirst().orElseThrow();
        assertThat(write.kind()).isEqualTo("CLIENT");
    }

    @Test
    void aGraphQLReadIsAQuerySpanWithTheStoreCallsBeneathIt() {
        String tenant = "it-trace-read-" + UUID.randomUUID();
        String traceId = TraceParent.newTraceId();
        String document = "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score status } }\",\"variables\":{\"t\":\""
                + tenant + "\"}}";

        HttpResponse<String> response = api.postTraced("/graphql", api.token(tenant, CoherenceClient.READ_WRITE), traceId, document);
        assertThat(response.statusCode()).isEqualTo(200);

        ReceivedSpan query = awaitSpan(traceId, "graphql query tenantCoherence");
        assertThat(query.attribute("tenant_id")).isEqualTo(tenant);
        // A tenant without a score: the cache misses, then PostgreSQL is asked.
        Eventually.await("the cache and PostgreSQL calls beneath the query", EXPORTED, () -> {
            List<String> beneath = receiver.trace(traceId).stream()
                    .filter(s -> s.parentSpanId().equals(query.spanId())).map(ReceivedSpan::name).toList();
            return beneath.contains("redis get score") && beneath.contains("postgres find score");
        });
    }

    @Test
    void aRefusedRequestsSpanNamesItsErrorCode() {
        String traceId = TraceParent.newTraceId();
        String document = "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score } }\",\"variables\":{\"t\":\"someone-else\"}}";

        HttpResponse<String> response = api.postTraced("/graphql", api.token("it-trace-me", CoherenceClient.READ_WRITE), traceId, document);
        assertThat(response.body()).contains("FORBIDDEN");

        ReceivedSpan query = awaitSpan(traceId, "graphql query tenantCoherence");
        assertThat(query.attribute("coherence.error_code")).isEqualTo("FORBIDDEN");
        assertThat(query.attribute("tenant_id")).isEqualTo("it-trace-me");
    }

    @Test
    void theMaterializersRunsHaveSpansWithTheirStoreCallsBeneath() {
        api.ingest("{\"tenantId\":\"it-trace-mat\",\"type\":\"t\",\"value\":0.9,\"source\":\"trace\"}",
                api.token("it-trace-mat", CoherenceClient.READ_WRITE));

        Eventually.await("a materializer run with its Neo4j and PostgreSQL calls", Duration.ofSeconds(60), () ->
                receiver.spans().stream().filter(s -> s.name().equals("materializer run")).anyMatch(run -> {
                    List<String> beneath = descendants(run).stream().map(ReceivedSpan::name).toList();
                    return beneath.contains("neo4j pending tenants") && beneath.contains("neo4j stale scores");
                }));
    }

    @Test
    void aKafkaBatchIsAConsumerSpanLinkedToTheProducersSpan() {
        String tenant = "it-trace-kafka-" + UUID.randomUUID();
        String producerSpan = TraceParent.header(TraceParent.newTraceId());
        String producerSpanId = producerSpan.split("-")[2];

        try (KafkaTestClient kafka = KafkaTestClient.forTestBroker()) {
            kafka.produceTraced(tenant, "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.4,\"source\":\"kafka\"}",
                    producerSpan);
        }

        Eventually.await("a consumer span linked to the producer's", Duration.ofSeconds(60), () -> receiver.spans().stream()
                .anyMatch(s -> s.kind().equals("CONSUMER") && s.linkedSpanIds().contains(producerSpanId)));
        ReceivedSpan batch = receiver.spans().stream()
                .filter(s -> s.kind().equals("CONSUMER") && s.linkedSpanIds().contains(producerSpanId)).findFirst().orElseThrow();
        assertThat(batch.name()).isEqualTo("coherence.signals.v1 process");
        assertThat(batch.attribute("messaging.system")).isEqualTo("kafka");
        Eventually.await("the group commit beneath the batch", EXPORTED, () -> descendants(batch).stream()
                .anyMatch(s -> s.name().equals("group commit")));
    }

    private ReceivedSpan awaitSpan(String traceId, String name) {
        Eventually.await("span '" + name + "' in trace " + traceId, EXPORTED,
                () -> receiver.trace(traceId).stream().anyMatch(s -> s.name().equals(name)));
        return receiver.trace(traceId).stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private Optional<ReceivedSpan> byId(String traceId, String spanId) {
        return receiver.trace(traceId).stream().filter(s -> s.spanId().equals(spanId)).findFirst();
    }

    private Optional<ReceivedSpan> groupCommitOf(String traceId, ReceivedSpan request) {
        return receiver.spans().stream().filter(s -> s.name().equals("group commit"))
                .filter(s -> s.traceId().equals(traceId) || s.linkedSpanIds().contains(request.spanId()))
                .findFirst();
    }

    private List<ReceivedSpan> descendants(ReceivedSpan root) {
        List<ReceivedSpan> trace = receiver.trace(root.traceId());
        List<ReceivedSpan> found = new ArrayList<>();
        List<String> frontier = new ArrayList<>(List.of(root.spanId()));
        while (!frontier.isEmpty()) {
            String parent = frontier.remove(0);
            for (ReceivedSpan s : trace) {
                if (s.parentSpanId().equals(parent)) {
                    found.add(s);
                    frontier.add(s.spanId());
                }
            }
        }
        return found;
    }

}
