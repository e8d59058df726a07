package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.types.Node;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class Neo4jScoreProjectionIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    /** Enough to list every pending tenant the shared engine holds, whatever other tests left there. */
    private static final int ALL = 1_000_000;

    private static Driver driver;
    private static Neo4jSignalRepository signals;
    private static Neo4jScoreProjection projection;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void connect() {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        driver = engines.neo4jDriver();
        signals = new Neo4jSignalRepository(driver);
        projection = new Neo4jScoreProjection(driver);
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    private static TenantId freshTenant() {
        return TenantId.of("it-" + UUID.randomUUID());
    }

    private void emit(TenantId tenant, int n) {
        String batch = UUID.randomUUID().toString();
        signals.saveAll(IntStream.range(0, n).mapToObj(i -> new Signal(
                new SignalIdentity(tenant, "probe-1", batch + "-" + i, now), "latency", 0.5, 1.0,
                new Provenance(batch + "-p" + i, "h", "http", TAGS))).toList());
    }

    private static Optional<PendingTenant> pendingEntry(TenantId tenant) {
        return projection.pending(ALL).stream().filter(p -> p.tenant().equals(tenant)).findFirst();
    }

    private static List<Record> scoreNodes(TenantId tenant) {
        try (var session = driver.session()) {
            return session.run("MATCH (:Tenant {tenant_id: $tenantId})-[:HAS_SCORE]->(c:CoherenceScore) RETURN c",
                    Map.of("tenantId", tenant.value())).list();
        }
    }

    @Test
    void pendingListsTenantsWithTheirSignalVersion() {
        TenantId tenant = freshTenant();
        TenantId other = freshTenant();
        emit(tenant, 3);
        emit(other, 1);

        List<PendingTenant> pending = projection.pending(ALL);

        assertThat(pending).contains(new PendingTenant(tenant, 3), new PendingTenant(other, 1));
        assertThat(projection.pending(1)).hasSize(1);
    }

    /** A LIMIT without an order gave the same tenants every run; busy ones kept new ones out. */
    @Test
    void pendingListsTheLeastRecentlyScoredFirstAndTheNeverScoredBeforeAny() {
        TenantId scoredLater = freshTenant();
        TenantId scoredEarlier = freshTenant();
        emit(scoredLater, 1);
        emit(scoredEarlier, 1);
        // Version -1 refreshes the score node but leaves both pending.
        projection.record(CoherenceScore.unknown(scoredLater, now.minusSeconds(10)), -1);
        projection.record(CoherenceScore.unknown(scoredEarlier, now.minusSeconds(20)), -1);
        TenantId neverScored = freshTenant();
        emit(neverScored, 1);

        List<TenantId> order = projection.pending(ALL).stream().map(PendingTenant::tenant).toList();

        assertThat(order).contains(neverScored, scoredEarlier, scoredLater);
        assertThat(order.indexOf(neverScored)).isLessThan(order.indexOf(scoredEarlier));
        assertThat(order.indexOf(scoredEarlier)).isLessThan(order.indexOf(scoredLater));
    }

    @Test
    void recordingTheCurrentVersionStoresTheScoreAndClearsPending() {
        TenantId tenant = freshTenant();
        emit(tenant, 2);
        long version = pendingEntry(tenant).orElseThrow().version();
        CoherenceScore score = new CoherenceScore(tenant, 0.82, ScoreStatus.HEALTHY, now);

        projection.record(score, version);

        assertThat(pendingEntry(tenant)).isEmpty();
        List<Record> nodes = scoreNodes(tenant);
        assertThat(nodes).hasSize(1);
        Node c = nodes.get(0).get("c").asNode();
        assertThat(c.get("tenant_id").asString()).isEqualTo(tenant.value());
        assertThat(c.get("score").asDouble()).isEqualTo(0.82);
        assertThat(c.get("status").asString()).isEqualTo("HEALTHY");
        assertThat(c.get("updated_at").asZonedDateTime().toInstant()).isEqualTo(now);
    }

    @Test
    void signalsArrivingAfterTheVersionWasReadKeepTheTenantPending() {
        TenantId tenant = freshTenant();
        emit(tenant, 2);
        long version = pendingEntry(tenant).orElseThrow().version();
        emit(tenant, 1);

        projection.record(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, now), version);

        assertThat(pendingEntry(tenant)).contains(new PendingTenant(tenant, version + 1));
        assertThat(scoreNodes(tenant)).hasSize(1);

        projection.record(new CoherenceScore(tenant, 0.6, ScoreStatus.WARN, now), version + 1);

        assertThat(pendingEntry(tenant)).isEmpty();
    }

    @Test
    void aRefreshWithoutVersionLeavesAPendingTenantPending() {
        TenantId tenant = freshTenant();
        emit(tenant, 1);

        projection.record(CoherenceScore.unknown(tenant, now), -1);

        assertThat(pendingEntry(tenant)).contains(new PendingTenant(tenant, 1));
    }

    @Test
    void recordingTwiceUpdatesTheOneScoreNode() {
        TenantId tenant = freshTenant();
        emit(tenant, 1);

        projection.record(new CoherenceScore(tenant, 0.4, ScoreStatus.CRITICAL, now), 1);
        projection.record(new CoherenceScore(tenant, 0.9, ScoreStatus.HEALTHY, now.plusSeconds(5)), 1);

        List<Record> nodes = scoreNodes(tenant);
        assertThat(nodes).hasSize(1);
        Node c = nodes.get(0).get("c").asNode();
        assertThat(c.get("score").asDouble()).isEqualTo(0.9);
        assertThat(c.get("status").asString()).isEqualTo("HEALTHY");
        assertThat(c.get("updated_at").asZonedDateTime().toInstant()).isEqualTo(now.plusSeconds(5));
    }

    @Test
    void anOlderScoreRecordedLateClearsItsVersionButKeepsTheNewerScore() {
        TenantId tenant = freshTenant();
        emit(tenant, 2);
        projection.record(new CoherenceScore(tenant, 0.9, ScoreStatus.HEALTHY, now.plusSeconds(5)), 1);

        projection.record(new CoherenceScore(tenant, 0.1, ScoreStatus.CRITICAL, now), 2);

        assertThat(pendingEntry(tenant)).isEmpty();
        Node c = scoreNodes(tenant).get(0).get("c").asNode();
        assertThat(c.get("score").asDouble()).isEqualTo(0.9);
        assertThat(c.get("updated_at").asZonedDateTime().toInstant()).isEqualTo(now.plusSeconds(5));
    }

    @Test
    void anOlderVersionRecordedLateDoesNotClearNewerSignals() {
        TenantId tenant = freshTenant();
        emit(tenant, 3);

        projection.record(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, now), 3);
        emit(tenant, 1);
        projection.record(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, now), 2);

        assertThat(pendingEntry(tenant)).contains(new PendingTenant(tenant, 4));
    }

    @Test
    void recordingForATenantWithoutSignalsCreatesNothing() {
        TenantId tenant = freshTenant();

        projection.record(CoherenceScore.unknown(tenant, now), -1);

        try (var session = driver.session()) {
            assertThat(session.run("MATCH (c:CoherenceScore {tenant_id: $tenantId}) RETURN count(c) AS n",
                    Map.of("tenantId", tenant.value())).single().get("n").asLong()).isZero();
        }
    }

    /**
     * The materializer's stale list comes from the graph: it knows every scored tenant, even one
     * whose PostgreSQL row is gone.
     */
    @Test
    void scoredBeforeListsTheOldestFirstUpToTheLimit() {
        // A random moment in the 1950s: no other test records scores that old.
        Instant base = Instant.parse("1950-01-01T00:00:00Z")
                .plusSeconds(ThreadLocalRandom.current().nextLong(Duration.ofDays(3000).toSeconds()));
        TenantId oldest = freshTenant();
        TenantId middle = freshTenant();
        TenantId newest = freshTenant();
        TenantId fresh = freshTenant();
        List.of(oldest, middle, newest, fresh).forEach(t -> emit(t, 1));
        projection.record(CoherenceScore.unknown(middle, base.plusSeconds(20)), -1);
        projection.record(CoherenceScore.unknown(fresh, now), -1);
        projection.record(CoherenceScore.unknown(newest, base.plusSeconds(30)), -1);
        projection.record(CoherenceScore.unknown(oldest, base.plusSeconds(10)), -1);
        Instant cutoff = base.plusSeconds(31);

        assertThat(projection.scoredBefore(cutoff, ALL)).startsWith(oldest, middle, newest).doesNotContain(fresh);
        assertThat(projection.scoredBefore(cutoff, 2)).containsExactly(oldest, middle);
        assertThat(projection.scoredBefore(base.plusSeconds(30), ALL)).startsWith(oldest, middle).doesNotContain(newest);
        assertThat(projection.scoredBefore(base.plusSeconds(10), ALL)).doesNotContain(oldest, middle, newest);
        assertThat(projection.scoredBefore(now.plusSeconds(1), 0)).isEmpty();
    }
}
