package io.coherence.infrastructure.postgres;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.erasure.ScoreRemoval;
import io.coherence.domain.tenant.TenantId;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** Deletes an off-boarded tenant's row from {@code coherence_scores}. */
@ApplicationScoped
public class PostgresScoreRemoval implements ScoreRemoval {

    static final String DELETE = "DELETE FROM coherence_scores WHERE tenant_id = ?";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    public boolean delete(TenantId tenant) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE)) {
            ps.setString(1, tenant.value());
            return ps.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE, "the score store is unavailable; retried", List.of(), e);
        }
    }
}
