package io.coherence.infrastructure.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The session that holds a cluster-wide lock: a transaction-level advisory lock in a transaction
 * that is only ever rolled back, whose {@code idle_in_transaction_session_timeout} is the lease,
 * so a holder that stops talking to PostgreSQL loses its session, and the lock, after it. Shared
 * by the materializer's and the retention run's locks.
 */
final class AdvisoryLockSession {

    private static final Logger LOG = Logger.getLogger(AdvisoryLockSession.class.getName());

    static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(?)";

    private AdvisoryLockSession() {
    }

    /** Begins the lease's transaction on {@code c} and tries the lock; false when another session holds it. */
    static boolean tryLock(Connection c, long key, Duration lease) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // SET LOCAL takes no bind parameters; the value is a number of milliseconds we computed.
            s.execute("SET LOCAL idle_in_transaction_session_timeout = " + Math.max(1, lease.toMillis()));
        }
        try (PreparedStatement ps = c.prepareStatement(TRY_LOCK)) {
            ps.setLong(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Rolls the lock's transaction back (which releases the lock) and returns the connection; when
     * that fails, aborts the connection so its session, and with it the lock, ends for sure. A
     * failure is logged at {@code level}, naming the lock.
     */
    static void end(Connection c, String lock, Level level) {
        try {
            c.rollback();
            c.setAutoCommit(true);
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(level, "releasing the " + lock + " failed; its connection is aborted", e);
            abort(c, lock);
        }
    }

    private static void abort(Connection c, String lock) {
        try {
            c.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "aborting the " + lock + "'s connection failed", e);
        }
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.FINE, "closing the aborted connection failed", e);
        }
    }
}
