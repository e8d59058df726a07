package io.coherence.infrastructure.postgres;

import io.coherence.testsupport.EmbeddedEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.coherence.testsupport.Eventually;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresAdvisoryLockIT {

    private static DataSource dataSource;

    @BeforeAll
    static void connect() {
        dataSource = EmbeddedEngines.shared().postgresDataSource();
    }

    @Test
    void aSecondReplicaDoesNotRunWhileTheFirstHoldsTheLock() throws Exception {
        PostgresAdvisoryLock first = PostgresAdapters.advisoryLock(dataSource);
        PostgresAdvisoryLock second = PostgresAdapters.advisoryLock(dataSource);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> firstRan = CompletableFuture.supplyAsync(() -> first.runExclusively(() -> {
            holding.countDown();
            try {
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).as("the first replica holds the lock").isTrue();
            AtomicBoolean secondTaskRan = new AtomicBoolean();

            boolean secondRan = second.runExclusively(() -> secondTaskRan.set(true));

            assertThat(secondRan).isFalse();
            assertThat(secondTaskRan).isFalse();
        } finally {
            release.countDown();
        }
        assertThat(firstRan.get(30, TimeUnit.SECONDS)).isTrue();

        AtomicBoolean afterRelease = new AtomicBoolean();
        assertThat(second.runExclusively(() -> afterRelease.set(true))).isTrue();
        assertThat(afterRelease).isTrue();
    }

    @Test
    void theLockIsReleasedWhenTheTaskFails() {
        PostgresAdvisoryLock lock = PostgresAdapters.advisoryLock(dataSource);

        assertThatThrownBy(() -> lock.runExclusively(() -> {
            throw new IllegalStateException("materializing failed");
        })).hasMessage("materializing failed");

        AtomicBoolean ran = new AtomicBoolean();
        assertThat(PostgresAdapters.advisoryLock(dataSource).runExclusively(() -> ran.set(true))).isTrue();
        assertThat(ran).isTrue();
    }

    @Test
    void aLockWhoseReleaseFailsIsNotReturnedToThePoolStillHeld() {
        // One physical connection that a "pool" hands out again and again, whose rollback fails once:
        // the release fails as a network blip or a timeout would make it fail.
        PooledOnce pool = new PooledOnce(dataSource);
        PostgresAdvisoryLock flaky = PostgresAdapters.advisoryLock(pool);

        assertThat(flaky.runExclusively(() -> { })).isTrue();

        AtomicBoolean ran = new AtomicBoolean();
        assertThat(PostgresAdapters.advisoryLock(dataSource).runExclusively(() -> ran.set(true)))
                .as("another replica takes the lock").isTrue();
        assertThat(ran).isTrue();
        assertThat(pool.aborted).as("the connection was aborted, not pooled").hasValue(1);
    }

    @Test
    void aHolderStuckInAHungCallLosesTheLockAfterItsLease() throws Exception {
        PostgresAdvisoryLock stuck = PostgresAdapters.advisoryLock(dataSource);
        stuck.lease = Duration.ofSeconds(1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch hungCallReturns = new CountDownLatch(1);
        CompletableFuture<Boolean> stuckRun = CompletableFuture.supplyAsync(() -> stuck.runExclusively(() -> {
            holding.countDown();
            try {
                assertThat(hungCallReturns.await(60, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
            PostgresAdvisoryLock other = PostgresAdapters.advisoryLock(dataSource);
            AtomicInteger otherRuns = new AtomicInteger();

            Eventually.await("another replica takes the lock while the holder is still stuck", Duration.ofSeconds(20),
                    () -> other.runExclusively(otherRuns::incrementAndGet));

            assertThat(stuckRun).isNotDone();
            assertThat(otherRuns).hasValue(1);
        } finally {
            hungCallReturns.countDown();
        }
        // The stuck run ends normally; its lock session is gone, which it only logs.
        assertThat(stuckRun.get(30, TimeUnit.SECONDS)).isTrue();
    }

    /** A data source that always hands out the same physical connection, as a pool would. */
    private static final class PooledOnce implements DataSource {

        private final Connection physical;
        private final AtomicBoolean rollbackFails = new AtomicBoolean(true);
        final AtomicInteger aborted = new AtomicInteger();

        PooledOnce(DataSource real) {
            try {
                physical = real.getConnection();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Connection getConnection() {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "close" -> null;
                        case "rollback" -> {
                            if (rollbackFails.getAndSet(false)) {
                                throw new SQLException("I/O error while rolling back");
                            }
                            physical.rollback();
                            yield null;
                        }
                        case "abort" -> {
                            aborted.incrementAndGet();
                            physical.close();
                            yield null;
                        }
                        default -> {
                            try {
                                yield method.invoke(physical, args);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
