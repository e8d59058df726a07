package io.coherence.infrastructure.postgres;

import io.coherence.application.scoring.MaterializerLock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Level;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * A transaction-level PostgreSQL advisory lock: replicas sharing the database never materialize at
 * the same time, even if two of them tick together.
 *
 * <p>The lock lives in a transaction that is only ever rolled back, so it cannot outlive its
 * session: a run that fails, a rollback that fails (the connection is then aborted, not returned
 * to the pool still holding the lock), or a replica that dies all end it. The transaction also
 * carries {@code idle_in_transaction_session_timeout} = the lease: a holder stuck in a hung call
 * (its lock session idle meanwhile) loses the lock after the lease, and PostgreSQL closes the
 * session, so the other replicas take over instead of skipping forever.
 */
@ApplicationScoped
public class PostgresAdvisoryLock implements MaterializerLock {

    /** An arbitrary constant naming the materializer's lock. */
    static final long MATERIALIZER_LOCK_KEY = 0x436f6865L;

    private static final String LOCK = "materializer lock";

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    /** The longest the lock stays held while its holder does not talk to PostgreSQL. */
    @Inject
    @ConfigProperty(name = "COHERENCE_MATERIALIZER_LOCK_LEASE")
    Duration lease = Duration.ofSeconds(30);

    /**
     * Behind a circuit breaker that counts only PostgreSQL's failures (not the task's): while the
     * database is down the materializer's ticks fail at once instead of each waiting out a timeout.
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000, failOn = LockUnavailable.class)
    @WithSpan(value = "postgres materializer lock", kind = SpanKind.CLIENT)
    public boolean runExclusively(Runnable task) {
        Connection c;
        try {
            c = dataSource.getConnection();
        } catch (SQLException e) {
            throw new LockUnavailable(e);
        }
        boolean locked;
        try {
            locked = AdvisoryLockSession.tryLock(c, MATERIALIZER_LOCK_KEY, lease);
        } catch (SQLException e) {
            AdvisoryLockSession.end(c, LOCK, Level.FINE);
            throw new LockUnavailable(e);
        }
        if (!locked) {
            AdvisoryLockSession.end(c, LOCK, Level.WARNING);
            return false;
        }
        try {
            task.run();
            return true;
        } finally {
            AdvisoryLockSession.end(c, LOCK, Level.WARNING);
        }
    }

    /** PostgreSQL could not be asked for the lock. */
    public static final class LockUnavailable extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        LockUnavailable(SQLException cause) {
            super("the materializer lock is unavailable: PostgreSQL did not answer", cause);
        }
    }
}
