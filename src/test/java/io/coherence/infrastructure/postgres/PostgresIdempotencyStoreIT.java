package io.coherence.infrastructure.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.ingest.IdempotencyStore;
import io.coherence.infrastructure.migrations.Migrator;
import io.coherence.testsupport.EmbeddedEngines;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Idempotency-Key claims against the real PostgreSQL, with the V3 migration. */
class PostgresIdempotencyStoreIT {

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static PostgresIdempotencyStore store;

    private final String scope = "tenant-" + UUID.randomUUID();

    @BeforeAll
    static void migrate() {
        DataSource dataSource = EmbeddedEngines.shared().postgresDataSource();
        Migrator.migratePostgres(dataSource, PostgresIdempotencyStoreIT.class.getClassLoader());
        store = new PostgresIdempotencyStore();
        store.dataSource = dataSource;
    }

    @Test
    void aKeyIsClaimedOnceThenRunningThenAnswered() {
        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);

        store.complete(scope, "k1", 202, "{\"accepted\":1}");

        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE))
                .isEqualTo(new IdempotencyStore.Answered(202, "{\"accepted\":1}"));
    }

    @Test
    void anotherBodyWithTheSameKeyIsReuseWhileTheFirstIsRunningOrDone() {
        store.claim(scope, "k1", "hash-a", DAY, MINUTE);
        assertThat(store.claim(scope, "k1", "hash-b", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Reused.class);

        store.complete(scope, "k1", 400, "{}");

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
        store.claim(scope, "k1", "hash-a", DAY, MINUTE);

        store.release(scope, "k1");

        assertThat(store.claim(scope, "k1", "hash-a", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
    }

    @Test
    void anExpiredKeyIsTakenOverEvenWithAnotherBody() {
        store.claim(scope, "k1", "hash-a", DAY, MINUTE);
        store.complete(scope, "k1", 202, "{}");

        assertThat(store.claim(scope, "k1", "hash-b", Duration.ZERO, MINUTE)).isInstanceOf(IdempotencyStore.Claimed.class);
        assertThat(store.claim(scope, "k1", "hash-b", DAY, MINUTE)).isInstanceOf(IdempotencyStore.Running.class);
    }

    @Test
    void aRunningClaimWhoseRequestDiedIsTakenOver() {
        store.claim(scope, "k1", "hash-a", DAY, MINUTE);

        assertThat(store.claim(scope, "k1", "hash-a", DAY, Duration.ZERO)).isInstanceOf(IdempotencyStore.Claimed.class);
    }
}
