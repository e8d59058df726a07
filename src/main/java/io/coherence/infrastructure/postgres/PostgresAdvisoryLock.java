package io.coherence.infrastructure.postgres;

import io.coherence.application.scoring.MaterializerLock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A session-level PostgreSQL advisory lock: replicas sharing the database never materialize at
 * the same time, even if two of them fire their timers together.
 */
@ApplicationScoped
public class PostgresAdvisoryLock implements MaterializerLock {

    /** An arbitrary constant naming the materializer's lock. */
    static final long MATERIALIZER_LOCK_KEY = 0x436f6865L;

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    @WithSpan(value = "postgres materializer lock", kind = SpanKind.CLIENT)
    public boolean runExclusively(Runnable task) {
        try (Connection c = dataSource.getConnection()) {
            if (!call(c, "SELECT pg_try_advisory_lock(?)")) {
                return false;
            }
            try {
                task.run();
                return true;
            } finally {
                call(c, "SELECT pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the materializer lock is unavailable", e);
        }
    }

    private static boolean call(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, MATERIALIZER_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
