package io.coherence.infrastructure.neo4j;

import io.coherence.application.erasure.ErasureGraph;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionContext;

/**
 * Erasure in the signal graph. A batch transaction takes the tenant's lock (as ingest does, so
 * the two queue instead of deadlocking), erases up to a limit of signals, appends one ERASURE
 * ledger entry (a count and the digest of the batch's provenance ids, never the subject) and adds
 * to the request's {@code (:ErasureProgress)} node: erased count, batches and a running digest
 * over the batches' digests, so the audit can be matched entry by entry against the ledger.
 * MINIMIZE keeps type, value, weight, ts and the policy tags, and replaces the source with
 * {@value #ERASED_SOURCE}, the signal id and provenance id with random UUIDs (keeping the
 * identity (tenant_id, source, signal_id, ts) unique), and removes the request hash and origin;
 * it leaves the per-minute buckets ({@link SignalBuckets}) as they are, since they sum value,
 * weight and ts only. DELETE takes the signals out of their buckets in the same transaction.
 */
@ApplicationScoped
public class Neo4jErasureGraph implements ErasureGraph {

    /** The source of minimized signals. */
    static final String ERASED_SOURCE = "erased";

    /** The subject's signals; the existence checks let the identity constraint's index serve the match. */
    static final String OF_SOURCE = """
            MATCH (s:Signal {tenant_id: $tenantId, source: $source})
            WHERE s.signal_id IS NOT NULL AND s.ts IS NOT NULL
            """;

    /** Every signal of the tenant; {@code ts IS NOT NULL} (always true) lets the (tenant_id, ts) index serve it. */
    static final String OF_TENANT = """
            MATCH (s:Signal {tenant_id: $tenantId})
            WHERE s.ts IS NOT NULL
            """;

    /** Signals an erasure minimized already (see {@link #match}). */
    static final String NOT_MINIMIZED = " AND s.minimized_by IS NULL\n";

    static final String PROVENANCE_IDS = OF_SOURCE + """
            AND s.provenance_id > $after
            RETURN s.provenance_id AS id ORDER BY id LIMIT $limit
            """;

    static final String BATCH = "RETURN elementId(s) AS id, s.provenance_id AS provenanceId LIMIT $limit";

    static final String COUNT = "RETURN count(s) AS n";

    /** The deleted signals leave their buckets in the same statement. */
    static final String DELETE = """
            UNWIND $ids AS id
            MATCH (s:Signal) WHERE elementId(s) = id
            WITH s, {tenantId: s.tenant_id, ts: s.ts, value: s.value, weight: s.weight} AS r
            DETACH DELETE s
            WITH collect(r) AS removed
            %s""".formatted(SignalBuckets.SUBTRACT);

    static final String MINIMIZE = """
            UNWIND $ids AS id
            MATCH (s:Signal) WHERE elementId(s) = id
            SET s.source = $erasedSource, s.signal_id = randomUUID(), s.provenance_id = randomUUID(),
                s.minimized_by = $requestId
            REMOVE s.request_hash, s.origin
            """;

    static final String PROGRESS = """
            OPTIONAL MATCH (p:ErasureProgress {request_id: $requestId})
            RETURN p IS NOT NULL AS found, p.before AS before, p.erased AS erased, p.batches AS batches, p.digest AS digest
            """;

    static final String RECORD_PROGRESS = """
            MERGE (p:ErasureProgress {request_id: $requestId})
            ON CREATE SET p.tenant_id = $tenantId, p.before = $before
            SET p.erased = $erased, p.batches = $batches, p.digest = $digest
            """;

    static final String FORGET_PROGRESS = "MATCH (p:ErasureProgress {request_id: $requestId}) DELETE p";

    /** The materializer's PENDING query finds the tenant again: its scored version is below any signal version. */
    static final String MARK_FOR_RESCORING = """
            MATCH (:Tenant {tenant_id: $tenantId})-[:HAS_SCORE]->(c:CoherenceScore)
            SET c.scored_version = -1
            """;

    /**
     * The score node goes; an empty one scored at the tenant's current version takes its place, so
     * the materializer does not score the tenant again until new signals come (the tenant node
     * stays: it holds the ledger's head).
     */
    static final String REMOVE_SCORE = """
            MATCH (t:Tenant {tenant_id: $tenantId})
            OPTIONAL MATCH (t)-[:HAS_SCORE]->(c:CoherenceScore)
            DETACH DELETE c
            WITH DISTINCT t
            CREATE (t)-[:HAS_SCORE]->(:CoherenceScore {tenant_id: $tenantId, scored_version: coalesce(t.signal_version, 0)})
            """;

    private final Driver driver;
    private final Neo4jLedger ledger;

    /** For the CDI client proxy only. */
    protected Neo4jErasureGraph() {
        this(null, null);
    }

    @Inject
    public Neo4jErasureGraph(Driver driver, Neo4jLedger ledger) {
        this.driver = driver;
        this.ledger = ledger;
    }

    @Override
    public List<String> provenanceIds(TenantId tenant, ErasureSubject subject, String after, int limit) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> tx.run(PROVENANCE_IDS, Map.of("tenantId", tenant.value(),
                    "source", subject.value(), "after", after, "limit", limit)).list(r -> r.get("id").asString()));
        }
    }

    @Override
    public int eraseBatch(UUID request, TenantId tenant, ErasureSubject subject, ErasureScope scope, int limit, Instant at) {
        Map<String, Object> params = selection(tenant, subject);
        params.put("limit", limit);
        String match = match(subject, scope);
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeWrite(tx -> {
                tx.run(Neo4jSignalRepository.LOCK_TENANTS, Map.of("tenants", List.of(tenant.value()))).consume();
                Progress progress = progress(tx, request);
                // The first batch counts what there was; a resumed request keeps that count.
                long before = progress.batches() == 0 ? tx.run(match + COUNT, params).single().get("n").asLong() : progress.before();
                List<Record> batch = tx.run(match + BATCH, params).list();
                if (batch.isEmpty()) {
                    return 0;
                }
                List<String> ids = new ArrayList<>(batch.size());
                List<String> provenanceIds = new ArrayList<>(batch.size());
                for (Record r : batch) {
                    ids.add(r.get("id").asString());
                    provenanceIds.add(r.get("provenanceId").isNull() ? "" : r.get("provenanceId").asString());
                }
                if (scope == ErasureScope.DELETE) {
                    tx.run(DELETE, Map.of("ids", ids, "maxWeight", Signal.MAX_WEIGHT)).consume();
                } else {
                    tx.run(MINIMIZE, Map.of("ids", ids, "erasedSource", ERASED_SOURCE, "requestId", request.toString())).consume();
                }
                String batchDigest = batchDigest(provenanceIds);
                long batches = progress.batches() + 1;
                String summary = "erasure " + request + ": " + (scope == ErasureScope.DELETE ? "deleted " : "minimized ")
                        + batch.size() + " signals (batch " + batches + ")";
                ledger.append(tx, List.of(new Neo4jLedger.Append(tenant.value(), LedgerAction.ERASURE, summary, batchDigest)), at);
                tx.run(RECORD_PROGRESS, Map.of("requestId", request.toString(), "tenantId", tenant.value(),
                        "before", before, "erased", progress.erased() + batch.size(), "batches", batches,
                        "digest", Sha256.hex(progress.digest() + "\n" + batchDigest))).consume();
                return batch.size();
            });
        }
    }

    /** The SHA-256 of the batch's provenance ids, sorted, one per line. */
    static String batchDigest(List<String> provenanceIds) {
        return Sha256.hex(String.join("\n", provenanceIds.stream().sorted().toList()));
    }

    @Override
    public Progress progress(UUID request) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> progress(tx, request));
        }
    }

    private static Progress progress(TransactionContext tx, UUID request) {
        Record r = tx.run(PROGRESS, Map.of("requestId", request.toString())).single();
        if (r.get("found").isFalse()) {
            return new Progress(0, 0, 0, LedgerEntry.GENESIS);
        }
        return new Progress(r.get("before").asLong(), r.get("erased").asLong(), r.get("batches").asLong(),
                r.get("digest").asString());
    }

    @Override
    public long count(TenantId tenant, ErasureSubject subject, ErasureScope scope) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> tx.run(match(subject, scope) + COUNT,
                    selection(tenant, subject)).single().get("n").asLong());
        }
    }

    @Override
    public void markForRescoring(TenantId tenant) {
        write(MARK_FOR_RESCORING, Map.of("tenantId", tenant.value()));
    }

    @Override
    public void removeScore(TenantId tenant) {
        write(REMOVE_SCORE, Map.of("tenantId", tenant.value()));
    }

    @Override
    public void forgetProgress(UUID request) {
        write(FORGET_PROGRESS, Map.of("requestId", request.toString()));
    }

    private void write(String cypher, Map<String, Object> params) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            session.executeWriteWithoutResult(tx -> tx.run(cypher, params).consume());
        }
    }

    /**
     * A source's signals never include minimized ones (a subject named like the minimized source
     * must not reach other subjects' signals); the whole tenant's deletion includes them.
     */
    static String match(ErasureSubject subject, ErasureScope scope) {
        if (subject.wholeTenant()) {
            return scope == ErasureScope.DELETE ? OF_TENANT : OF_TENANT + NOT_MINIMIZED;
        }
        return OF_SOURCE + NOT_MINIMIZED;
    }

    private static Map<String, Object> selection(TenantId tenant, ErasureSubject subject) {
        Map<String, Object> params = new HashMap<>();
        params.put("tenantId", tenant.value());
        if (!subject.wholeTenant()) {
            params.put("source", subject.value());
        }
        return params;
    }
}
