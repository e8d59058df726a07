package io.coherence.infrastructure.neo4j;

import io.coherence.application.events.EventHistory;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.TransactionConfig;

/**
 * The event history is the graph itself: every signal keeps its tenant's sequence number
 * ({@code s.sequence}, index {@code signal_tenant_sequence}) and the time its transaction ran
 * ({@code s.ingested_at}), so a replayed event is rebuilt from the signal. Read in write mode, so
 * in a cluster the read goes to the leader and sees every committed signal.
 */
@ApplicationScoped
public class Neo4jEventHistory implements EventHistory {

    static final String HEAD = """
            OPTIONAL MATCH (t:Tenant {tenant_id: $tenantId})
            RETURN coalesce(t.signal_version, 0) AS head
            """;

    static final String BETWEEN = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.sequence > $after AND s.sequence <= $upTo
            RETURN s.sequence AS sequence, s.signal_id AS signalId, s.type AS type, s.value AS value,
                   s.weight AS weight, s.source AS source, s.ts AS ts, s.provenance_id AS provenanceId,
                   s.ingested_at AS committedAt
            ORDER BY s.sequence
            LIMIT $limit
            """;

    private static final TransactionConfig READ_TIMEOUT = TransactionConfig.builder().withTimeout(Duration.ofSeconds(5)).build();

    private final Driver driver;

    /** For the CDI client proxy only. */
    protected Neo4jEventHistory() {
        this(null);
    }

    @Inject
    public Neo4jEventHistory(Driver driver) {
        this.driver = driver;
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j event history head", kind = SpanKind.CLIENT)
    public long head(TenantId tenant) {
        try (var session = driver.session()) {
            return session.run(HEAD, Map.of("tenantId", tenant.value()), READ_TIMEOUT).single().get("head").asLong();
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j event history", kind = SpanKind.CLIENT)
    public List<SignalCommitted> between(TenantId tenant, long after, long upTo, int limit) {
        try (var session = driver.session()) {
            return session.run(BETWEEN, Map.of("tenantId", tenant.value(), "after", after, "upTo", upTo, "limit", limit),
                    READ_TIMEOUT).list(r -> event(tenant, r));
        }
    }

    private static SignalCommitted event(TenantId tenant, Record r) {
        return new SignalCommitted(tenant, r.get("sequence").asLong(), r.get("signalId").asString(),
                r.get("type").asString(), r.get("value").asDouble(), r.get("weight").asDouble(),
                r.get("source").asString(), r.get("ts").asZonedDateTime().toInstant(),
                r.get("provenanceId").asString(), r.get("committedAt").asZonedDateTime().toInstant());
    }
}
