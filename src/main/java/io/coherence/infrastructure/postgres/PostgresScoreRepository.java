package io.coherence.infrastructure.postgres;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * The {@code coherence_scores} read model. Each call is bounded by the data source's timeouts
 * (datasource.xml) and sits behind a circuit breaker: once most recent calls failed, calls fail at
 * once for a few seconds, so readers fall back to the signal graph and the materializer skips its
 * run without waiting on a dead database. The breakers show in {@code ft_circuitbreaker_*}.
 */
@ApplicationScoped
public class PostgresScoreRepository implements ScoreRepository {

    /**
     * The seed's UPSERT, made conditional: only a newer score replaces the stored one, so a write
     * that lost a race (an older materializer run, a delayed retry) cannot put an older score back.
     * The status is decided by the domain (it adds UNKNOWN for empty windows).
     */
    static final String UPSERT = """
            INSERT INTO coherence_scores (tenant_id, score, status, updated_at)
            VALUES (?, ?, ?, ?)
            ON CONFLICT (tenant_id) DO UPDATE
              SET score = EXCLUDED.score, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
              WHERE EXCLUDED.updated_at > coherence_scores.updated_at
            """;

    static final String FIND = "SELECT score, status, updated_at FROM coherence_scores WHERE tenant_id = ?";

    static final String DELETE = "DELETE FROM coherence_scores WHERE tenant_id = ? AND updated_at <= ?";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres upsert score", kind = SpanKind.CLIENT)
    public boolean upsert(CoherenceScore score) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, score.tenant().value());
            ps.setBigDecimal(2, BigDecimal.valueOf(score.score()));
            ps.setString(3, score.status().name());
            ps.setTimestamp(4, Timestamp.from(score.updatedAt()));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("upserting the score failed", e);
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres find score", kind = SpanKind.CLIENT)
    public Optional<CoherenceScore> find(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new CoherenceScore(tenant, rs.getBigDecimal(1).doubleValue(),
                        ScoreStatus.valueOf(rs.getString(2)), rs.getTimestamp(3).toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the score failed", e);
        }
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "postgres delete score", kind = SpanKind.CLIENT)
    public boolean delete(TenantId tenant, Instant notAfter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, tenant.value());
            ps.setTimestamp(2, Timestamp.from(notAfter));
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new IllegalStateException("deleting the score failed", e);
        }
    }
}
