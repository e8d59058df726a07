package io.coherence.faults;

import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.neo4j.Neo4jLedger;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Values;

/** Reads what the stores hold, straight from the engines (never through the gates the service uses). */
final class StoreInspector implements AutoCloseable {

    static final String SIGNALS = """
            MATCH (s:Signal {tenant_id: $t})
            RETURN s.signal_id AS id, s.value AS value, s.weight AS weight
            """;
    static final String SIGNAL_COUNT = "MATCH (s:Signal {tenant_id: $t}) RETURN count(s) AS n";
    static final String EMITS = "MATCH (:Tenant {tenant_id: $t})-[r:EMITS]->(:Signal) RETURN count(r) AS n";
    static final String VERSIONS = """
            MATCH (t:Tenant {tenant_id: $t})
            OPTIONAL MATCH (t)-[:HAS_SCORE]->(c:CoherenceScore)
            RETURN coalesce(t.signal_version, 0) AS signal, coalesce(c.scored_version, -1) AS scored
            """;
    /** Per tenant with signals: its signal count and stored signals whose sequence is missing, repeated or past it. */
    static final String SIGNAL_SEQUENCES = """
            MATCH (t:Tenant) WHERE coalesce(t.signal_version, 0) > 0
            OPTIONAL MATCH (s:Signal {tenant_id: t.tenant_id})
            RETURN t.tenant_id AS tenant, t.signal_version AS version, count(s) AS stored,
                   count(DISTINCT s.sequence) AS sequences,
                   sum(CASE WHEN s IS NOT NULL AND (s.sequence IS NULL OR s.sequence < 1 OR s.sequence > t.signal_version)
                       THEN 1 ELSE 0 END) AS outside
            ORDER BY tenant
            """;
    static final String SCORE = "SELECT score FROM coherence_scores WHERE tenant_id = ?";
    /** Who holds the materializer's advisory lock (PostgresAdvisoryLock), and since when. */
    static final String ADVISORY_LOCKS = """
            SELECT l.pid, a.state, a.state_change FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory'
            """;
    static final String LAST_SCORED = "SELECT max(updated_at) FROM coherence_scores WHERE tenant_id = ANY (?)";

    private final Driver neo4j;
    private final DataSource postgres;

    StoreInspector(Driver neo4j, DataSource postgres) {
        this.neo4j = neo4j;
        this.postgres = postgres;
    }

    List<LedgerCheck.Stored> signals(String tenant) {
        try (var session = neo4j.session()) {
            return session.run(SIGNALS, Values.parameters("t", tenant)).list(r -> new LedgerCheck.Stored(
                    r.get("id").asString(), r.get("value").asDouble(), r.get("weight").asDouble()));
        }
    }

    /** Every tenant's provenance ledger, verified by the service's own adapter, with its signals' sequences. */
    List<ProvenanceAudit> provenance() {
        Neo4jLedger ledger = new Neo4jLedger(neo4j);
        List<Record> rows;
        try (var session = neo4j.session()) {
            rows = session.run(SIGNAL_SEQUENCES).list();
        }
        // Verified after the rows are read: a mapper of list() runs on the driver's I/O thread, where a blocking call hangs.
        return rows.stream().map(r -> {
            String tenant = r.get("tenant").asString();
            LedgerVerification v = ledger.verify(TenantId.of(tenant));
            return new ProvenanceAudit(tenant, v.entries(), v.valid(), v.firstBrokenSequence(), r.get("version").asLong(),
                    r.get("stored").asLong(), r.get("sequences").asLong(), r.get("outside").asLong());
        }).toList();
    }

    long signalCount(String tenant) {
        return single(SIGNAL_COUNT, tenant).get("n").asLong();
    }

    long emits(String tenant) {
        return single(EMITS, tenant).get("n").asLong();
    }

    /** The tenant's signal version (accepted signals counted) and the version its score was computed at (-1: none). */
    record Versions(long signal, long scored) {
    }

    Versions versions(String tenant) {
        try (var session = neo4j.session()) {
            List<Record> rows = session.run(VERSIONS, Values.parameters("t", tenant)).list();
            return rows.isEmpty() ? new Versions(0, -1)
                    : new Versions(rows.get(0).get("signal").asLong(), rows.get(0).get("scored").asLong());
        }
    }

    /** The materialized score in PostgreSQL's coherence_scores. */
    Optional<BigDecimal> score(String tenant) {
        try (Connection c = postgres.getConnection(); PreparedStatement ps = c.prepareStatement(SCORE)) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBigDecimal(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading coherence_scores failed", e);
        }
    }

    /** When the materializer last wrote a score of any of these tenants to PostgreSQL (empty: never). */
    Optional<Instant> lastScored(List<String> tenants) {
        try (Connection c = postgres.getConnection(); PreparedStatement ps = c.prepareStatement(LAST_SCORED)) {
            ps.setArray(1, c.createArrayOf("text", tenants.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                Timestamp at = rs.next() ? rs.getTimestamp(1) : null;
                return Optional.ofNullable(at).map(Timestamp::toInstant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading coherence_scores failed", e);
        }
    }

    /** What may keep the materializer from running: the advisory locks held, as PostgreSQL sees them. */
    String materializerDiagnosis() {
        StringBuilder out = new StringBuilder();
        try (Connection c = postgres.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(ADVISORY_LOCKS); ResultSet rs = ps.executeQuery()) {
                out.append("advisory locks:");
                while (rs.next()) {
                    out.append(" pid ").append(rs.getInt(1)).append(' ').append(rs.getString(2))
                            .append(" since ").append(rs.getTimestamp(3));
                }
            }
        } catch (SQLException e) {
            out.append(" (").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private Record single(String cypher, String tenant) {
        try (var session = neo4j.session()) {
            return session.run(cypher, Values.parameters("t", tenant)).single();
        }
    }

    @Override
    public void close() {
        neo4j.close();
    }
}
