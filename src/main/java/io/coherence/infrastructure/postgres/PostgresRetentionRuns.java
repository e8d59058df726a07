package io.coherence.infrastructure.postgres;

import io.coherence.application.retention.RetentionRuns;
import io.coherence.application.retention.RetentionService;
import io.coherence.application.retention.RunRecord;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** The scheduled retention run's record ({@code retention_runs}, one row). */
@ApplicationScoped
public class PostgresRetentionRuns implements RetentionRuns {

    static final String JOB = "retention";

    static final String LAST = """
            SELECT last_completed_start, last_attempt_start, last_outcome FROM retention_runs WHERE job = ?
            """;

    static final String COMPLETED = """
            INSERT INTO retention_runs (job, last_completed_start, last_attempt_start, last_attempt_end, last_outcome,
                                        last_reason, last_tenants, last_deleted)
            VALUES (?, ?, ?, ?, 'completed', NULL, ?, ?)
            ON CONFLICT (job) DO UPDATE
              SET last_completed_start = EXCLUDED.last_completed_start, last_attempt_start = EXCLUDED.last_attempt_start,
                  last_attempt_end = EXCLUDED.last_attempt_end, last_outcome = 'completed', last_reason = NULL,
                  last_tenants = EXCLUDED.last_tenants, last_deleted = EXCLUDED.last_deleted
            """;

    /** A failure keeps the last completed run's start: the schedule still counts from it. */
    static final String FAILED = """
            INSERT INTO retention_runs (job, last_attempt_start, last_attempt_end, last_outcome, last_reason)
            VALUES (?, ?, ?, 'failed', ?)
            ON CONFLICT (job) DO UPDATE
              SET last_attempt_start = EXCLUDED.last_attempt_start, last_attempt_end = EXCLUDED.last_attempt_end,
                  last_outcome = 'failed', last_reason = EXCLUDED.last_reason, last_tenants = 0, last_deleted = 0
            """;

    private static final int MAX_REASON = 500;

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    public Optional<RunRecord> last() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(LAST)) {
            ps.setString(1, JOB);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp completed = rs.getTimestamp(1);
                return Optional.of(new RunRecord(completed == null ? null : completed.toInstant(),
                        rs.getTimestamp(2).toInstant(), "failed".equals(rs.getString(3))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the retention run record failed", e);
        }
    }

    @Override
    public void completed(Instant started, Instant finished, RetentionService.RunTotals totals) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COMPLETED)) {
            ps.setString(1, JOB);
            ps.setTimestamp(2, Timestamp.from(started));
            ps.setTimestamp(3, Timestamp.from(started));
            ps.setTimestamp(4, Timestamp.from(finished));
            ps.setInt(5, totals.tenants());
            ps.setLong(6, totals.deleted());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording the retention run failed", e);
        }
    }

    @Override
    public void failed(Instant started, Instant finished, String reason) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FAILED)) {
            ps.setString(1, JOB);
            ps.setTimestamp(2, Timestamp.from(started));
            ps.setTimestamp(3, Timestamp.from(finished));
            ps.setString(4, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording the failed retention run failed", e);
        }
    }
}
