package io.coherence.infrastructure.neo4j;

import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

/**
 * Signals in the graph: {@code (:Tenant)-[:EMITS]->(:Signal)}. One call is one transaction; the
 * uniqueness constraint on the identity makes concurrent duplicates merge instead of doubling.
 */
@ApplicationScoped
public class Neo4jSignalRepository implements SignalRepository {

    /**
     * Each row carries a token unique to this call and row; a node the row creates is marked with it
     * (and unmarked before commit), which is how each row learns whether it created the node, also
     * when the very same signal is written again or the driver retries the transaction. Accepted
     * signals bump the tenant's version (the materializer's "pending" signal), in the same
     * transaction.
     */
    static final String UPSERT = """
            UNWIND $rows AS row
            MERGE (t:Tenant {tenant_id: row.tenantId})
            MERGE (s:Signal {tenant_id: row.tenantId, source: row.source, signal_id: row.signalId, ts: row.ts})
              ON CREATE SET s.type = row.type, s.value = row.value, s.weight = row.weight,
                            s.provenance_id = row.provenanceId, s.request_hash = row.requestHash,
                            s.channel = row.channel, s.origin = row.origin, s.purpose = row.purpose, s.retention = row.retention,
                            s.license = row.license, s.residency = row.residency, s.ingested_at = datetime(),
                            s.created_by_write = row.writeToken
            WITH t, s, row, coalesce(s.created_by_write = row.writeToken, false) AS created
            FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
              CREATE (t)-[:EMITS]->(s)
              SET t.signal_version = coalesce(t.signal_version, 0) + 1
              REMOVE s.created_by_write)
            RETURN row.index AS index, created, s.provenance_id AS provenanceId
            """;

    /**
     * Runs first in every write transaction: takes the write lock of each existing tenant, in sorted
     * order, before the transaction holds any other lock, so concurrent writes of one tenant queue instead of deadlocking
     * (Neo4j retries a deadlock victim after a backoff of about a second). MATCH, not MERGE: MERGE
     * would take a shared lock first.
     */
    static final String LOCK_TENANTS = """
            UNWIND $tenants AS tenantId
            OPTIONAL MATCH (t:Tenant {tenant_id: tenantId})
            FOREACH (locked IN CASE WHEN t IS NULL THEN [] ELSE [t] END |
              SET locked.signal_version = coalesce(locked.signal_version, 0))
            """;

    /** The tenants' versions at the end of the write, still under the tenant locks. */
    static final String TENANT_VERSIONS = """
            UNWIND $tenants AS tenantId
            MATCH (t:Tenant {tenant_id: tenantId})
            RETURN tenantId, t.signal_version AS version
            """;

    /**
     * A weight above the maximum (stored before ingest bounded it) counts as the maximum, as in
     * {@code WindowTotals.plus}: two weights of 1e308 would overflow the sums.
     */
    static final String WINDOW_TOTALS = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.ts >= $from
            WITH s, CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
            RETURN coalesce(sum(s.value * weight), 0.0) AS weightedValueSum,
                   coalesce(sum(weight), 0.0) AS weightSum, count(s) AS count
            """;

    /** Neo4j ends a window read that runs longer than this (a server-side bound). */
    private static final TransactionConfig READ_TIMEOUT = TransactionConfig.builder().withTimeout(Duration.ofSeconds(5)).build();

    private final Driver driver;

    /** Transaction size and duration ({@code ingest_transaction_signals}, {@code ingest_transaction_duration_seconds}). */
    @Inject
    MetricRegistry metrics;

    /** For the CDI client proxy only. */
    protected Neo4jSignalRepository() {
        this(null);
    }

    @Inject
    public Neo4jSignalRepository(Driver driver) {
        this.driver = driver;
    }

    /**
     * Behind a circuit breaker: once most recent writes failed (Neo4j down), writes fail at once for
     * a few seconds instead of each waiting out the driver's retries; HTTP callers get 503
     * STORE_UNAVAILABLE sooner and the Kafka consumer backs off. It shows in the metrics as
     * {@code ft_circuitbreaker_opened_total} and {@code ft_circuitbreaker_calls_total}.
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j save signals", kind = SpanKind.CLIENT)
    public List<WriteOutcome> saveAll(List<Signal> signals) {
        if (signals.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>(signals.size());
        String write = UUID.randomUUID().toString();
        for (int i = 0; i < signals.size(); i++) {
            Map<String, Object> row = row(i, signals.get(i));
            row.put("writeToken", write + ":" + i);
            rows.add(row);
        }
        // Tenant by tenant, as the locks are taken; the sort is stable, so duplicates keep their order.
        rows.sort(Comparator.comparing(r -> (String) r.get("tenantId")));
        List<String> tenants = rows.stream().map(r -> (String) r.get("tenantId")).distinct().toList();
        Written written;
        long started = System.nanoTime();
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            written = session.executeWrite(tx -> {
                tx.run(LOCK_TENANTS, Map.of("tenants", tenants)).consume();
                List<Record> upserted = tx.run(UPSERT, Map.of("rows", rows)).list();
                Map<String, Long> versions = new HashMap<>();
                tx.run(TENANT_VERSIONS, Map.of("tenants", tenants))
                        .forEachRemaining(r -> versions.put(r.get("tenantId").asString(), r.get("version").asLong()));
                return new Written(upserted, versions);
            });
        }
        if (metrics != null) {
            metrics.histogram("ingest_transaction_signals").update(signals.size());
            metrics.timer("ingest_transaction_duration").update(Duration.ofNanos(System.nanoTime() - started));
        }
        return outcomes(signals, written);
    }

    /**
     * Numbers each tenant's accepted signals in input order so that the last one carries the
     * tenant's final version: the tenant lock makes those numbers that tenant's commit order.
     */
    private static List<WriteOutcome> outcomes(List<Signal> signals, Written written) {
        boolean[] created = new boolean[signals.size()];
        String[] provenance = new String[signals.size()];
        Map<String, Long> createdPerTenant = new HashMap<>();
        for (Record r : written.upserted()) {
            int index = r.get("index").asInt();
            created[index] = r.get("created").asBoolean();
            provenance[index] = r.get("provenanceId").asString();
            if (created[index]) {
                createdPerTenant.merge(signals.get(index).tenant().value(), 1L, Long::sum);
            }
        }
        Map<String, Long> next = new HashMap<>();
        createdPerTenant.forEach((tenant, n) -> next.put(tenant, written.versions().get(tenant) - n + 1));
        WriteOutcome[] outcomes = new WriteOutcome[signals.size()];
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = created[i]
                    ? WriteOutcome.accepted(provenance[i], next.merge(signals.get(i).tenant().value(), 1L, Long::sum) - 1)
                    : WriteOutcome.duplicate(provenance[i]);
        }
        return Arrays.asList(outcomes);
    }

    private record Written(List<Record> upserted, Map<String, Long> versions) {
    }

    /**
     * One auto-commit read, not a managed transaction: the driver would retry a managed one for up
     * to its retry time (10 s) while Neo4j is down, and this read is on the degraded read path,
     * where the caller should learn at once that the score is unavailable. Its callers retry by
     * themselves (the materializer on its next tick). Behind a circuit breaker like the writes.
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j window totals", kind = SpanKind.CLIENT)
    public WindowTotals windowTotals(TenantId tenant, Instant from) {
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            Record r = session.run(WINDOW_TOTALS, Map.of("tenantId", tenant.value(), "from", utc(from), "maxWeight", Signal.MAX_WEIGHT),
                    READ_TIMEOUT).single();
            return new WindowTotals(r.get("weightedValueSum").asDouble(), r.get("weightSum").asDouble(),
                    r.get("count").asLong());
        }
    }

    private static Map<String, Object> row(int index, Signal s) {
        Map<String, Object> row = new HashMap<>();
        row.put("index", index);
        row.put("tenantId", s.tenant().value());
        row.put("source", s.identity().source());
        row.put("signalId", s.identity().signalId());
        row.put("ts", utc(s.ts()));
        row.put("type", s.type());
        row.put("value", s.value());
        row.put("weight", s.weight());
        row.put("provenanceId", s.provenance().provenanceId());
        row.put("requestHash", s.provenance().requestHash());
        row.put("channel", s.provenance().channel());
        row.put("origin", s.provenance().origin());
        row.put("purpose", s.provenance().tags().purpose());
        row.put("retention", s.provenance().tags().retention());
        row.put("license", s.provenance().tags().license());
        row.put("residency", s.provenance().tags().residency());
        return row;
    }

    /** Timestamps are stored as UTC datetimes so equal instants compare equal in the identity. */
    static ZonedDateTime utc(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }
}
