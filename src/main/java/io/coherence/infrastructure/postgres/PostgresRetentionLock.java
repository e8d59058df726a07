package io.coherence.infrastructure.postgres;

import io.coherence.application.retention.RetentionLock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The retention run's cluster-wide lock: a transaction-level PostgreSQL advisory lock, as
 * {@link PostgresAdvisoryLock} holds the materializer's, in a transaction that is only ever rolled
 * back, carrying {@code idle_in_transaction_session_timeout} = the lease. A run is long, so the
 * holder renews the lease between batches with a statement on the lock's session (which resets
 * PostgreSQL's idle clock); a holder that stops renewing (hung, dead) loses its session, and with
 * it the lock, after the lease, and its next renewal fails, which stops its run.
 */
@ApplicationScoped
public class PostgresRetentionLock implements RetentionLock {

    private static final Logger LOG = Logger.getLogger(PostgresRetentionLock.class.getName());

    /** An arbitrary constant naming the retention lock (the materializer's is 0x436f6865). */
    static final long RETENTION_LOCK_KEY = 0x436f6872L;

    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?)";
    static final String RENEW = "SELECT 1";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "COHERENCE_RETENTION_LOCK_LEASE")
    Duration lease = Duration.ofMinutes(5);

    @Override
    @WithSpan(value = "postgres retention lock", kind = SpanKind.CLIENT)
    public <T> Optional<T> runExclusively(Function<Lease, T> task) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new LockLost("the retention lock is unavailable: PostgreSQL did not answer", e);
        }
        boolean locked;
        try {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // SET LOCAL takes no bind parameters; the value is a number of milliseconds we computed.
                s.execute("SET LOCAL idle_in_transaction_session_timeout = " + Math.max(1, lease.toMillis()));
            }
            locked = tryLock(c);
        } catch (SQLException e) {
            end(c);
            throw new LockLost("the retention lock is unavailable: PostgreSQL did not answer", e);
        }
        try {
            return locked ? Optional.ofNullable(task.apply(() -> renew(c))) : Optional.empty();
        } finally {
            end(c);
        }
    }

    private static void renew(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute(RENEW);
        } catch (SQLException e) {
            throw new LockLost("the retention lock was lost (its lease ran out or PostgreSQL failed)", e);
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(TRY_LOCK)) {
            ps.setLong(1, RETENTION_LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Rolls back (releasing the lock); when that fails, aborts the connection so the session ends for sure. */
    private static void end(Connection c) {
        try {
            c.rollback();
            c.setAutoCommit(true);
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "releasing the retention lock failed; its connection is aborted", e);
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException abortFailed) {
                LOG.log(Level.FINE, "aborting the retention lock's connection failed", abortFailed);
            }
            try {
                c.close();
            } catch (SQLException | RuntimeException closeFailed) {
                LOG.log(Level.FINE, "closing the aborted connection failed", closeFailed);
            }
        }
    }
}
