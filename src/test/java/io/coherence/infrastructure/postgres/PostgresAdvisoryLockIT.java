package io.coherence.infrastructure.postgres;

import io.coherence.testsupport.EmbeddedEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
