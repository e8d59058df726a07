package io.coherence.infrastructure.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureStep;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.migrations.Migrator;
import io.coherence.testsupport.EmbeddedEngines;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The erasure queue against the real PostgreSQL, in a schema of its own: the test server's worker
 * claims from the shared schema and must not take these requests.
 */
class PostgresErasureRequestStoreIT {

    private static final Duration LEASE = Duration.ofMinutes(1);
    private static final TenantId TENANT = TenantId.of("acme");

    private final PostgresErasureRequestStore store = new PostgresErasureRequestStore();
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeEach
    void ownSchema() throws Exception {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        String schema = "erasure_it_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection c = engines.postgresDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(engines.postgresJdbcUrl());
        ds.setUser(engines.postgresUser());
        ds.setPassword(engines.postgresPassword());
        ds.setCurrentSchema(schema);
        Migrator.migratePostgres(ds, getClass().getClassLoader());
        store.dataSource = ds;
    }

    private ErasureRequest queue(String subject, Instant at) {
        ErasureRequest r = ErasureRequest.queued(UUID.randomUUID(), TENANT, new ErasureSubject(subject), ErasureScope.DELETE, at);
        store.insert(r);
        return r;
    }

    @Test
    void aRequestIsFoundByItsTenantOnly() {
        ErasureRequest r = queue("device-7", now);

        assertThat(store.find(TENANT, r.id())).contains(r);
        assertThat(store.find(TenantId.of("other"), r.id())).isEmpty();
        assertThat(store.oldestPending()).contains(now);
    }

    @Test
    void aClaimHoldsTheRequestUntilItsLeaseEndsAndKeepsTheStepsFindings() {
        ErasureRequest r = queue("device-7", now);

        ErasureRequestStore.Claim claim = store.claim("a", LEASE).orElseThrow();
        assertThat(claim.request().status()).isEqualTo(ErasureStatus.RUNNING);
        assertThat(claim.request().startedAt()).isNotNull();
        assertThat(store.claim("b", LEASE)).isEmpty();
        assertThat(store.renew(r.id(), "b", LEASE)).isFalse();
        assertThat(store.advance(r.id(), "a", ErasureStep.IDEMPOTENCY_KEYS, "{\"answersRedacted\":1}", ErasureStep.SIGNALS, LEASE))
                .isTrue();
        assertThat(store.advance(r.id(), "a", ErasureStep.IDEMPOTENCY_KEYS, "{}", ErasureStep.SIGNALS, LEASE))
                .as("a step is stored once").isFalse();

        store.release(r.id(), "a", Instant.now().minusSeconds(1), "attempt 1 failed", true);
        ErasureRequestStore.Claim again = store.claim("b", LEASE).orElseThrow();

        assertThat(again.request().step()).isEqualTo(ErasureStep.SIGNALS);
        assertThat(again.request().attempts()).isEqualTo(1);
        assertThat(again.request().startedAt()).isEqualTo(claim.request().startedAt());
        assertThat(again.findings()).containsEntry(ErasureStep.IDEMPOTENCY_KEYS, "{\"answersRedacted\":1}");
        assertThat(store.renew(r.id(), "a", LEASE)).as("the first holder lost it").isFalse();
    }

    @Test
    void aFinishedRequestKeepsOnlyTheSubjectsHashAndLeavesTheQueue() {
        ErasureRequest r = queue("device-7", now);
        ErasureRequest running = store.claim("a", LEASE).orElseThrow().request();

        assertThat(store.finish(running.complete(now.plusSeconds(3), 7, "{\"p\":1}", "h.p.s"), "b")).isFalse();
        assertThat(store.finish(running.complete(now.plusSeconds(3), 7, "{\"p\":1}", "h.p.s"), "a")).isTrue();

        ErasureRequest done = store.find(TENANT, r.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(done.subject()).isNull();
        assertThat(done.subjectSha256()).isEqualTo(new ErasureSubject("device-7").sha256());
        assertThat(done.affected()).isEqualTo(7);
        assertThat(done.auditPackage()).isEqualTo("{\"p\":1}");
        assertThat(done.auditSignature()).isEqualTo("h.p.s");
        assertThat(store.oldestPending()).isEmpty();
        assertThat(store.claim("c", LEASE)).isEmpty();
    }

    @Test
    void replicasClaimingAtOnceTakeDifferentRequestsOldestFirst() throws Exception {
        for (int i = 0; i < 20; i++) {
            queue("device-" + i, now.plusMillis(i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Optional<ErasureRequestStore.Claim>>> claims = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String token = "replica-" + i;
                claims.add(() -> store.claim(token, LEASE));
            }
            Set<UUID> claimed = new HashSet<>();
            int empty = 0;
            for (Future<Optional<ErasureRequestStore.Claim>> f : pool.invokeAll(claims)) {
                if (f.get().isPresent()) {
                    assertThat(claimed.add(f.get().get().request().id())).as("claimed twice").isTrue();
                } else {
                    empty++;
                }
            }
            assertThat(claimed).hasSize(20);
            assertThat(empty).isEqualTo(4);
        } finally {
            pool.shutdownNow();
        }
    }
}
