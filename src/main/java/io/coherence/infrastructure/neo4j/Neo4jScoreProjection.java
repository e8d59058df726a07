package io.coherence.infrastructure.neo4j;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreProjection;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Values;

/**
 * A tenant is pending when its signal version (bumped by every accepted signal) is ahead of the
 * version its {@code (:Tenant)-[:HAS_SCORE]->(:CoherenceScore)} node was scored at. Recording a
 * score writes only that score node (the tenant node just once, when the score node is created),
 * so the materializer never contends with signal writes for the tenant node's locks.
 */
@ApplicationScoped
public class Neo4jScoreProjection implements ScoreProjection {

    /**
     * Least recently scored first, never scored before any: a LIMIT without an order returned the
     * same tenants every run, so busy tenants kept new ones from ever being scored.
     */
    static final String PENDING = """
            MATCH (t:Tenant)
            WHERE coalesce(t.signal_version, 0) > 0
            OPTIONAL MATCH (t)-[:HAS_SCORE]->(c:CoherenceScore)
            WITH t, c
            WHERE t.signal_version > coalesce(c.scored_version, -1)
            RETURN t.tenant_id AS tenantId, t.signal_version AS version
            ORDER BY c.updated_at IS NOT NULL, c.updated_at, t.tenant_id
            LIMIT $limit
            """;

    /** Oldest score first, found through the {@code coherence_score_updated_at} index. */
    static final String SCORED_BEFORE = """
            MATCH (c:CoherenceScore)
            WHERE c.updated_at < $cutoff
            WITH c ORDER BY c.updated_at LIMIT $limit
            MATCH (t:Tenant)-[:HAS_SCORE]->(c)
            RETURN t.tenant_id AS tenantId
            """;

    /**
     * OPTIONAL MATCH + CREATE rather than MERGE, which would lock the tenant node on every run. The
     * version only moves forward, and, as in PostgreSQL, only a newer score replaces the node's.
     */
    static final String RECORD = """
            MATCH (t:Tenant {tenant_id: $tenantId})
            OPTIONAL MATCH (t)-[:HAS_SCORE]->(existing:CoherenceScore)
            FOREACH (_ IN CASE WHEN existing IS NULL THEN [1] ELSE [] END |
              CREATE (t)-[:HAS_SCORE]->(:CoherenceScore {tenant_id: $tenantId}))
            WITH t
            MATCH (t)-[:HAS_SCORE]->(c:CoherenceScore)
            SET c.scored_version = CASE WHEN $version > coalesce(c.scored_version, -1) THEN $version ELSE c.scored_version END
            WITH c
            WHERE c.updated_at IS NULL OR $updatedAt > c.updated_at
            SET c.score = $score, c.status = $status, c.updated_at = $updatedAt
            """;

    private final Driver driver;

    /** For the CDI client proxy only. */
    protected Neo4jScoreProjection() {
        this(null);
    }

    @Inject
    public Neo4jScoreProjection(Driver driver) {
        this.driver = driver;
    }

    @Override
    @WithSpan(value = "neo4j pending tenants", kind = SpanKind.CLIENT)
    public List<PendingTenant> pending(int limit) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> tx.run(PENDING, Values.parameters("limit", limit))
                    .list(r -> new PendingTenant(TenantId.of(r.get("tenantId").asString()), r.get("version").asLong())));
        }
    }

    @Override
    @WithSpan(value = "neo4j stale scores", kind = SpanKind.CLIENT)
    public List<TenantId> scoredBefore(Instant cutoff, int limit) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> tx.run(SCORED_BEFORE, Values.parameters(
                    "cutoff", Neo4jSignalRepository.utc(cutoff), "limit", limit))
                    .list(r -> TenantId.of(r.get("tenantId").asString())));
        }
    }

    @Override
    @WithSpan(value = "neo4j record score", kind = SpanKind.CLIENT)
    public void record(CoherenceScore score, long version) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            session.executeWriteWithoutResult(tx -> tx.run(RECORD, Values.parameters(
                    "tenantId", score.tenant().value(),
                    "score", score.score(),
                    "status", score.status().name(),
                    "updatedAt", Neo4jSignalRepository.utc(score.updatedAt()),
                    "version", version)).consume());
        }
    }
}
