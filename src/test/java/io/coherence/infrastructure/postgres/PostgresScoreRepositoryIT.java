package io.coherence.infrastructure.postgres;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.migrations.Migrator;
import io.coherence.testsupport.EmbeddedEngines;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PostgresScoreRepositoryIT {

    private static DataSource dataSource;
    private static PostgresScoreRepository repository;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void migrate() {
        dataSource = EmbeddedEngines.shared().postgresDataSource();
        Migrator.migratePostgres(dataSource, PostgresScoreRepositoryIT.class.getClassLoader());
        repository = new PostgresScoreRepository();
        repository.dataSource = dataSource;
    }

    private static TenantId freshTenant() {
        return TenantId.of("it-" + UUID.randomUUID());
    }

    private static long rows(TenantId tenant) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM coherence_scores WHERE tenant_id = ?")) {
            ps.setString(1, tenant.value());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void upsertInsertsThenUpdatesTheOneRow() throws SQLException {
        TenantId tenant = freshTenant();

        repository.upsert(new CoherenceScore(tenant, 0.42, ScoreStatus.CRITICAL, now));
        repository.upsert(new CoherenceScore(tenant, 0.77, ScoreStatus.HEALTHY, now.plusSeconds(1)));

        assertThat(rows(tenant)).isEqualTo(1);
        assertThat(repository.find(tenant))
                .contains(new CoherenceScore(tenant, 0.77, ScoreStatus.HEALTHY, now.plusSeconds(1)));
    }

    /** A slow materializer write (or a late retry) must not put an older score back. */
    @Test
    void anOlderScoreNeverReplacesANewerOne() {
        TenantId tenant = freshTenant();
        CoherenceScore newer = new CoherenceScore(tenant, 0.9, ScoreStatus.HEALTHY, now.plusSeconds(5));
        repository.upsert(newer);

        repository.upsert(new CoherenceScore(tenant, 0.1, ScoreStatus.CRITICAL, now));
        repository.upsert(new CoherenceScore(tenant, 0.2, ScoreStatus.CRITICAL, now.plusSeconds(5)));

        assertThat(repository.find(tenant)).contains(newer);
    }

    @Test
    void upsertSaysWhetherItStored() {
        TenantId tenant = freshTenant();

        assertThat(repository.upsert(CoherenceScore.unknown(tenant, now))).isTrue();
        assertThat(repository.upsert(CoherenceScore.unknown(tenant, now))).isFalse();
        assertThat(repository.upsert(CoherenceScore.unknown(tenant, now.minusMillis(1)))).isFalse();
        assertThat(repository.upsert(CoherenceScore.unknown(tenant, now.plusMillis(1)))).isTrue();
    }

    @Test
    void findReturnsScoreStatusAndUpdatedAt() {
        TenantId tenant = freshTenant();
        Instant updatedAt = Instant.parse("2026-03-01T12:34:56.789123Z");

        repository.upsert(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, updatedAt));

        assertThat(repository.find(tenant)).contains(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, updatedAt));
    }

    @Test
    void theStoredScoreKeepsTwoDecimals() {
        TenantId tenant = freshTenant();
        TenantId roundsUp = freshTenant();

        repository.upsert(new CoherenceScore(tenant, 0.123456, ScoreStatus.CRITICAL, now));
        repository.upsert(new CoherenceScore(roundsUp, 0.875, ScoreStatus.HEALTHY, now));

        assertThat(repository.find(tenant).orElseThrow().score()).isEqualTo(0.12);
        assertThat(repository.find(roundsUp).orElseThrow().score()).isEqualTo(0.88);
    }

    @Test
    void theBoundsAndUnknownRoundTrip() {
        TenantId one = freshTenant();
        TenantId unknown = freshTenant();

        repository.upsert(new CoherenceScore(one, 1.0, ScoreStatus.HEALTHY, now));
        repository.upsert(CoherenceScore.unknown(unknown, now));

        assertThat(repository.find(one)).contains(new CoherenceScore(one, 1.0, ScoreStatus.HEALTHY, now));
        assertThat(repository.find(unknown)).contains(CoherenceScore.unknown(unknown, now));
    }

    @Test
    void aTenantWithoutScoreIsNotFound() {
        assertThat(repository.find(freshTenant())).isEmpty();
    }
}
