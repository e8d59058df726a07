package io.coherence.infrastructure.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ingest.IdempotencyStore;
import io.coherence.infrastructure.migrations.Migrator;
import io.coherence.testsupport.EmbeddedEngines;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key claims and their expiry against the real PostgreSQL, with the V3 migration. */
class PostgresIdempotencyStoreIT {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static PostgresIdempotencyStore store;

    private final String scope = "tenant-" + UUID.randomUUID();

    @BeforeAll
    static void migrate() {
        DataSource dataSource = EmbeddedEngines.shared().postgresDataSource();
        Migrator.migratePostgres(dataSource, PostgresIdempotencyStoreIT.class.getClassLoader());
        store = replica(dataSource, "replica-" + UUID.randomUUID());
    }

    private static PostgresIdempotencyStore replica(DataSource dataSource, String name) {
        PostgresIdempotencyStore s = new PostgresIdempotencyStore();
        s.dataSource = dataSource;
        s.replicaName = Optional.of(name);
        return s;
    }

    /**
     * A replica killed and started again (same name, new start) releases the running claims its
     * dead process left, and only those: not its own new ones, not another replica's, not answers.
     */
    @Test
    void aRestartedReplicaReleasesTheRunningClaimsItsDeadProcessLeft() {
        DataSource dataSource = EmbeddedEngines.shared().postgresDataSource();
        String name = "replica-" + UUID.randomUUID();
        PostgresIdempotencyStore dead = replica(dataSource, name);
        PostgresIdempotencyStore other = replica(dataSource, "replica-" + UUID.randomUUID());
        dead.claim(scope, "in-flight-1", "hash", DAY, MINUTE);
        dead.claim(scope, "in-flight-2", "hash", DAY, MINUTE);
        dead.complete(scope, "answered", at(dead.claim(scope, "answered", "hash", DAY, MINUTE)), 202, "{}");
        other.claim(scope, "others", "hash", DAY, MINUTE);
        PostgresIdempotencyStore restarted = replica(dataSource, name);
        restarted.claim(scope, "new", "hash", DAY, MINUTE);
        assertThat(restarted.claim(scope, "in-flight-1", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);

        assertThat(restarted.releaseAbandoned()).isEqualTo(2);

        assertThat(restarted.claim(scope, "in-flight-1", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(restarted.claim(scope, "in-flight-2", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(restarted.claim(scope, "answered", "hash", DAY, MINUTE)).isEqualTo(new IdempotencyStore.Answered(202, "{}"));
        assertThat(restarted.claim(scope, "others", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
        assertThat(restarted.claim(scope, "new", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
        assertThat(restarted.releaseAbandoned()).isZero();
    }

    @Test
    void aKeyIsClaimedOnceThenRunningThenAnswered() {
        IdempotencyStore.Claim claim = store.claim(scope, "k1", "hash-a", DAY, MINUTE);
        assertThat(claim).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);

        store.complete(scope, "k1", at(claim), 202, "{\"accepted\":1}");

        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE))
                .isEqualTo(new IdempotencyStore.Answered(202, "{\"accepted\":1}"));
    }

    @Test
    void anotherBodyWithTheSameKeyIsReuseWhileTheFirstIsRunningOrDone() {
        IdempotencyStore.Claim claim = store.claim(scope, "k1", "hash-a", DAY, MINUTE);
        assertThat(store.claim(scope, "k1", "hash-b", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Reused.class);

        store.complete(scope, "k1", at(claim), 400, "{}");

        assertThat(store.claim(scope, "k1", "hash-b", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Reused.class);
    }

    @Test
    void keysAreScopedToTheirTenant() {
        store.claim(scope, "shared-key", "hash-a", DAY, MINUTE);

        assertThat(store.claim(scope + "-other", "shared-key", "hash-b", DAY, MINUTE))
                .isInstanceOf(IdempotencyStore.Claimed.class);
    }

    @Test
    void aReleasedKeyMayBeClaimedAgain() {
        IdempotencyStore.Claim claim = store.claim(scope, "k1", "hash-a", DAY, MINUTE);

        store.release(scope, "k1", at(claim));

        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
    }

    @Test
    void anExpiredKeyIsTakenOverEvenWithAnotherBody() {
        store.complete(scope, "k1", at(store.claim(scope, "k1", "hash-a", DAY, MINUTE)), 202, "{}");

        assertThat(store.claim(scope, "k1", "hash-b", Duration.ZERO, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim(scope, "k1", "hash-b", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
    }

    @Test
    void aRunningClaimWhoseRequestDiedIsTakenOver() {
        store.claim(scope, "k1", "hash-a", DAY, MINUTE);

        assertThat(store.claim(scope, "k1", "hash-a", DAY, Duration.ZERO)).isInstanceOf(IdempotencyStore.Claimed.class);
    }

    private static Instant at(IdempotencyStore.Claim claim) {
        return ((IdempotencyStore.Claimed) claim).at();
    }

    @Test
    void aLateAnswerDoesNotLandOnAClaimThatTookOver() {
        IdempotencyStore.Claim dead = store.claim(scope, "k1", "hash-a", DAY, MINUTE);
        IdempotencyStore.Claim takeover = store.claim(scope, "k1", "hash-a", DAY, Duration.ZERO);

        store.complete(scope, "k1", at(dead), 202, "{\"late\":true}");
        store.release(scope, "k1", at(dead));

        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
        store.complete(scope, "k1", at(takeover), 202, "{}");
        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isEqualTo(new IdempotencyStore.Answered(202, "{}"));
    }

    /** Issue 14: keys were never deleted. */
    @Test
    void expiryDeletesKeysOlderThanTheTtlInBoundedBatches() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.claim(scope, "old-" + i, "hash", DAY, MINUTE);
        }
        store.claim(scope, "fresh", "hash", DAY, MINUTE);
        backdate("old-%");

        int deleted;
        do {
            deleted = store.expire(DAY, 2);
            assertThat(deleted).isBetween(0, 2);
        } while (deleted == 2);

        assertThat(keysOf(scope)).isEqualTo(1);
        assertThat(store.claim(scope, "fresh", "hash", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
    }

    @Test
    void replicasExpiringAtOnceDeleteEachKeyOnce() throws Exception {
        for (int i = 0; i < 300; i++) {
            store.claim(scope, "old-" + i, "hash", DAY, MINUTE);
        }
        backdate("old-%");
        long expired;
        try (Connection c = EmbeddedEngines.shared().postgresDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT count(*) FROM idempotency_keys WHERE created_at < now() - interval '1 day'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            expired = rs.getLong(1);
        }

        Callable<Integer> replica = () -> {
            int total = 0;
            int n;
            while ((n = store.expire(DAY, 7)) > 0) {
                total += n;
            }
            return total;
        };
        ExecutorService replicas = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> runs = replicas.invokeAll(List.of(replica, replica, replica));
            int total = 0;
            for (Future<Integer> run : runs) {
                total += run.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(expired);
        } finally {
            replicas.shutdownNow();
        }
        assertThat(keysOf(scope)).isZero();
    }

    /** Moves this scope's matching keys two days into the past. */
    private void backdate(String keyPattern) throws Exception {
        try (Connection c = EmbeddedEngines.shared().postgresDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE idempotency_keys SET created_at = now() - interval '2 days' "
                     + "WHERE tenant_scope = ? AND idem_key LIKE ?")) {
            ps.setString(1, scope);
            ps.setString(2, keyPattern);
            ps.executeUpdate();
        }
    }

    private static long keysOf(String scope) throws Exception {
        try (Connection c = EmbeddedEngines.shared().postgresDataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM idempotency_keys WHERE tenant_scope = ?")) {
            ps.setString(1, scope);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
