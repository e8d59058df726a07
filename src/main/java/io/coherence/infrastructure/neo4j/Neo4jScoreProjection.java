package io.coherence.infrastructure.neo4j;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreProjection;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.Values;

/**
 * Pending tenants carry the {@code :ScorePending} label (set by the signal write that bumped their
 * version); recording a score mirrors it into {@code (:Tenant)-[:HAS_SCORE]->(:CoherenceScore)}
 * and removes the label unless newer signals arrived meanwhile.
 */
@ApplicationScoped
public class Neo4jScoreProjection implements ScoreProjection {

    static final String PENDING = """
            MATCH (t:Tenant:ScorePending)
            RETURN t.tenant_id AS tenantId, t.signal_version AS version
            LIMIT $limit
            """;

    static final String RECORD = """
            MATCH (t:Tenant {tenant_id: $tenantId})
            MERGE (t)-[:HAS_SCORE]->(c:CoherenceScore)
            SET c.tenant_id = $tenantId, c.score = $score, c.status = $status, c.updated_at = $updatedAt
            WITH t
            SET t.scored_version = CASE WHEN $version > coalesce(t.scored_version, -1) THEN $version ELSE t.scored_version END
            WITH t
            FOREACH (_ IN CASE WHEN t.scored_version >= coalesce(t.signal_version, 0) THEN [1] ELSE [] END |
              REMOVE t:ScorePending)
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
    public List<PendingTenant> pending(int limit) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeRead(tx -> tx.run(PENDING, Values.parameters("limit", limit))
                    .list(r -> new PendingTenant(TenantId.of(r.get("tenantId").asString()), r.get("version").asLong())));
        }
    }

    @Override
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
