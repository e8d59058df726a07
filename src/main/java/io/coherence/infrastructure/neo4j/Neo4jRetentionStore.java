package io.coherence.infrastructure.neo4j;

import io.coherence.application.retention.RetentionStore;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.RetentionEntry;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

/**
 * Retention in the graph. A batch deletes signals through the {@code (tenant_id, ts)} index in one
 * transaction that takes the tenant's lock first (ingest's lock order, {@link
 * Neo4jSignalRepository#LOCK_TENANTS}: tenant, then signals), and appends the batch's RETENTION
 * ledger entry in that same transaction, so the deletion and its record commit together or not
 * at all; the deleted signals leave their tenant's buckets ({@link SignalBuckets}) in that
 * transaction too. The score bookkeeping it touches is {@link Neo4jScoreProjection}'s: a score node whose
 * {@code scored_version} is behind the tenant's {@code signal_version} is pending; one without
 * {@code updated_at} is never stale.
 */
@ApplicationScoped
public class Neo4jRetentionStore implements RetentionStore {

    /** Tenants with signals, or with a score left over from signals they no longer have; by id. */
    static final String TENANTS = """
            MATCH (t:Tenant)
            WHERE t.tenant_id > $after
              AND (EXISTS { (t)-[:EMITS]->(:Signal) }
                   OR EXISTS { (t)-[:HAS_SCORE]->(c:CoherenceScore) WHERE c.updated_at IS NOT NULL })
            RETURN t.tenant_id AS tenantId
            ORDER BY t.tenant_id
            LIMIT $limit
            """;

    static final String COUNT_BEFORE = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.ts < $cutoff
            RETURN count(s) AS n
            """;

    /**
     * Reads what the ledger entry and the buckets need before the nodes (and their EMITS
     * relationships) go; the deleted signals leave their buckets in the same statement.
     */
    static final String DELETE_BEFORE = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.ts < $cutoff
            WITH s LIMIT $limit
            WITH s, {provenanceId: s.provenance_id, tenantId: s.tenant_id, ts: s.ts, value: s.value, weight: s.weight} AS r
            DETACH DELETE s
            WITH collect(r) AS removed
            %s
            UNWIND removed AS r
            RETURN r.provenanceId AS provenanceId, r.ts AS ts
            """.formatted(SignalBuckets.SUBTRACT);

    /** -1 is below any version: the materializer finds the tenant pending and scores it again. */
    static final String RESCORE = """
            MATCH (:Tenant {tenant_id: $tenantId})-[:HAS_SCORE]->(c:CoherenceScore)
            SET c.scored_version = -1
            """;

    static final String HAS_SIGNALS = "RETURN EXISTS { (:Tenant {tenant_id: $tenantId})-[:EMITS]->(:Signal) } AS has";

    /**
     * After the tenant's lock: when it has no signals, its score node keeps only the version it is
     * scored at (= the tenant's, so not pending) and loses its score and {@code updated_at} (so
     * not stale): the materializer leaves it alone until a new signal arrives.
     */
    static final String RETIRE_SCORE_IF_EMPTY = """
            OPTIONAL MATCH (t:Tenant {tenant_id: $tenantId})
            WITH t WHERE t IS NULL OR NOT EXISTS { (t)-[:EMITS]->(:Signal) }
            OPTIONAL MATCH (t)-[:HAS_SCORE]->(c:CoherenceScore)
            SET c.scored_version = coalesce(t.signal_version, 0)
            REMOVE c.score, c.status, c.updated_at
            RETURN count(*) AS empty
            """;

    /** A batch that takes longer is rolled back and the run fails, instead of holding the tenant's lock. */
    private static final TransactionConfig BATCH_TIMEOUT = TransactionConfig.builder()
            .withTimeout(Duration.ofSeconds(30)).build();

    private final Driver driver;
    private final Neo4jLedger ledger;

    /** For the CDI client proxy only. */
    protected Neo4jRetentionStore() {
        this(null, null);
    }

    @Inject
    public Neo4jRetentionStore(Driver driver, Neo4jLedger ledger) {
        this.driver = driver;
        this.ledger = ledger;
    }

    @Override
    @WithSpan(value = "neo4j retention tenants", kind = SpanKind.CLIENT)
    public List<TenantId> tenants(String after, int limit) {
        try (var session = driver.session(read())) {
            return session.executeRead(tx -> tx.run(TENANTS, Map.of("after", after == null ? "" : after, "limit", limit))
                    .list(r -> TenantId.of(r.get("tenantId").asString())));
        }
    }

    @Override
    @WithSpan(value = "neo4j retention count", kind = SpanKind.CLIENT)
    public long countBefore(TenantId tenant, Instant cutoff) {
        try (var session = driver.session(read())) {
            return session.executeRead(tx -> tx.run(COUNT_BEFORE, Map.of("tenantId", tenant.value(),
                    "cutoff", Neo4jSignalRepository.utc(cutoff))).single().get("n").asLong());
        }
    }

    @Override
    @WithSpan(value = "neo4j retention delete", kind = SpanKind.CLIENT)
    public PrunedBatch deleteBefore(TenantId tenant, Instant cutoff, int limit, RetentionTier tier, Instant at) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeWrite(tx -> {
                tx.run(Neo4jSignalRepository.LOCK_TENANTS, Map.of("tenants", List.of(tenant.value()))).consume();
                List<Record> deleted = tx.run(DELETE_BEFORE, Map.of("tenantId", tenant.value(),
                        "cutoff", Neo4jSignalRepository.utc(cutoff), "limit", limit, "maxWeight", Signal.MAX_WEIGHT)).list();
                if (deleted.isEmpty()) {
                    return new PrunedBatch(0, null);
                }
                List<String> provenanceIds = new ArrayList<>(deleted.size());
                Instant newest = null;
                for (Record r : deleted) {
                    provenanceIds.add(r.get("provenanceId").asString());
                    Instant ts = r.get("ts").asZonedDateTime().toInstant();
                    newest = newest == null || ts.isAfter(newest) ? ts : newest;
                }
                ledger.append(tx, List.of(new Neo4jLedger.Append(tenant.value(), LedgerAction.RETENTION,
                        RetentionEntry.summary(deleted.size(), tier, cutoff), RetentionEntry.digest(provenanceIds))), at);
                return new PrunedBatch(deleted.size(), newest);
            }, BATCH_TIMEOUT);
        }
    }

    @Override
    @WithSpan(value = "neo4j retention rescore", kind = SpanKind.CLIENT)
    public void rescore(TenantId tenant) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            session.executeWriteWithoutResult(tx -> tx.run(RESCORE, Map.of("tenantId", tenant.value())).consume());
        }
    }

    /** A read first, so that a tenant with signals (nearly every one) costs no write lock. */
    @Override
    @WithSpan(value = "neo4j retention retire score", kind = SpanKind.CLIENT)
    public boolean retireScoreIfEmpty(TenantId tenant) {
        Map<String, Object> parameters = Map.of("tenantId", tenant.value());
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            if (session.executeRead(tx -> tx.run(HAS_SIGNALS, parameters).single().get("has").asBoolean())) {
                return false;
            }
            return session.executeWrite(tx -> {
                tx.run(Neo4jSignalRepository.LOCK_TENANTS, Map.of("tenants", List.of(tenant.value()))).consume();
                return tx.run(RETIRE_SCORE_IF_EMPTY, parameters).single().get("empty").asLong() > 0;
            });
        }
    }

    private static SessionConfig read() {
        return SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build();
    }
}
