package io.coherence.infrastructure.postgres;

import io.coherence.application.retention.RetentionLock;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Level;
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

    /** An arbitrary constant naming the retention lock (the materializer's is 0x436f6865). */
    static final long RETENTION_LOCK_KEY = 0x436f6872L;

    private static final String LOCK = "retention lock";
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
            locked = AdvisoryLockSession.tryLock(c, RETENTION_LOCK_KEY, lease);
        } catch (SQLException e) {
            AdvisoryLockSession.end(c, LOCK, Level.FINE);
            throw new LockLost("the retention lock is unavailable: PostgreSQL did not answer", e);
        }
        try {
            return locked ? Optional.ofNullable(task.apply(() -> renew(c))) : Optional.empty();
        } finally {
            AdvisoryLockSession.end(c, LOCK, Level.FINE);
        }
    }

    private static void renew(Connection c) {
        try (Statement s = c.createStatement()) {
            s.execute(RENEW);
        } catch (SQLException e) {
            throw new LockLost("the retention lock was lost (its lease ran out or PostgreSQL failed)", e);
        }
    }
}
