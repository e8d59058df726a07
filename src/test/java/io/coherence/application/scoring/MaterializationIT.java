package io.coherence.application.scoring;

import io.coherence.application.events.RecordingEventBus;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.migrations.Migrator;
import io.coherence.infrastructure.neo4j.Neo4jScoreProjection;
import io.coherence.infrastructure.neo4j.Neo4jSignalRepository;
import io.coherence.infrastructure.postgres.PostgresAdapters;
import io.coherence.infrastructure.postgres.PostgresScoreRepository;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.MovableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The materializer over the real graph and database: signals in Neo4j become scores in PostgreSQL. */
class MaterializationIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final BigDecimal HEALTHY_AT = new BigDecimal("0.75");
    private static final BigDecimal WARN_AT = new BigDecimal("0.50");

    private static Driver driver;
    private static DataSource dataSource;

    @BeforeAll
    static void connect() {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        driver = engines.neo4jDriver();
        dataSource = engines.postgresDataSource();
        Migrator.migratePostgres(dataSource, MaterializationIT.class.getClassLoader());
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    @Test
    void runScoresEveryPendingTenantFromItsWindow() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Neo4jSignalRepository signals = new Neo4jSignalRepository(driver);
        Neo4jScoreProjection projection = new Neo4jScoreProjection(driver);
        PostgresScoreRepository scores = PostgresAdapters.scoreRepository(dataSource);
        InMemoryScoreCache cache = new InMemoryScoreCache();
        ScoreMaterializer materializer = new ScoreMaterializer(signals, scores, projection, cache,
                new ScoringSettings(WINDOW, Duration.ofSeconds(1), Duration.ofMinutes(1), 500),
                PostgresAdapters.advisoryLock(dataSource), Clock.fixed(now, ZoneOffset.UTC), new RecordingEventBus());

        Random random = new Random(20260301L);
        Map<TenantId, List<Signal>> emitted = new LinkedHashMap<>();
        for (int t = 0; t < 4; t++) {
            TenantId tenant = TenantId.of("it-" + UUID.randomUUID());
            List<Signal> list = new ArrayList<>();
            int n = 20 + random.nextInt(60);
            for (int i = 0; i < n; i++) {
                Instant ts = now.minusMillis((long) (random.nextDouble() * Duration.ofHours(30).toMillis()));
                list.add(signal(tenant, "s-" + i, ts, random.nextDouble(), 0.05 + 9.95 * random.nextDouble()));
            }
            if (t == 0) {
                list.add(signal(tenant, "at-window-start", now.minus(WINDOW), 1.0, 3.0));
                list.add(signal(tenant, "just-outside", now.minus(WINDOW).minusMillis(1), 0.0, 50.0));
            }
            emitted.put(tenant, list);
        }
        TenantId onlyOld = TenantId.of("it-" + UUID.randomUUID());
        emitted.put(onlyOld, List.of(
                signal(onlyOld, "old-1", now.minus(Duration.ofHours(25)), 0.9, 1.0),
                signal(onlyOld, "old-2", now.minus(Duration.ofHours(29)), 0.8, 2.0)));
        emitted.values().forEach(signals::saveAll);
        Set<TenantId> tenants = emitted.keySet();
        assertThat(projection.pending(1_000_000)).extracting(p -> p.tenant()).containsAll(tenants);

        int scored = materializer.run();

        assertThat(scored).isGreaterThanOrEqualTo(tenants.size());
        for (Map.Entry<TenantId, List<Signal>> e : emitted.entrySet()) {
            TenantId tenant = e.getKey();
            CoherenceScore expected = reference(tenant, e.getValue(), now);
            Optional<CoherenceScore> stored = scores.find(tenant);
            assertThat(stored).as("score of %s", tenant).contains(expected);
            assertThat(cache.entries.get(tenant)).as("cached score of %s", tenant).isEqualTo(expected);
        }
        assertThat(scores.find(onlyOld)).contains(new CoherenceScore(onlyOld, 0.0, ScoreStatus.UNKNOWN, now));
        Set<TenantId> stillPending = projection.pending(1_000_000).stream().map(p -> p.tenant())
                .collect(Collectors.toSet());
        assertThat(stillPending).doesNotContainAnyElementsOf(tenants);
    }

    @Test
    void runIfDueMaterializesUnderTheDatabaseLock() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Neo4jSignalRepository signals = new Neo4jSignalRepository(driver);
        PostgresScoreRepository scores = PostgresAdapters.scoreRepository(dataSource);
        ScoreMaterializer materializer = new ScoreMaterializer(signals, scores, new Neo4jScoreProjection(driver),
                new InMemoryScoreCache(), new ScoringSettings(WINDOW, Duration.ofSeconds(1), Duration.ofMinutes(1), 500),
                PostgresAdapters.advisoryLock(dataSource), Clock.fixed(now, ZoneOffset.UTC), new RecordingEventBus());
        TenantId tenant = TenantId.of("it-" + UUID.randomUUID());
        signals.saveAll(List.of(signal(tenant, "a", now.minusSeconds(60), 0.2, 1.0),
                signal(tenant, "b", now.minusSeconds(30), 0.6, 3.0)));

        materializer.runIfDue();

        assertThat(scores.find(tenant)).contains(new CoherenceScore(tenant, 0.5, ScoreStatus.WARN, now));
    }

    /**
     * Signals stored before ingest bounded the weight: two of weight 1e308 overflowed the sums, and
     * every run failed on the tenant. They now count as the maximum weight.
     */
    @Test
    void weightsStoredBeforeTheBoundNoLongerJamTheScore() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PostgresScoreRepository scores = PostgresAdapters.scoreRepository(dataSource);
        ScoreMaterializer materializer = new ScoreMaterializer(new Neo4jSignalRepository(driver), scores,
                new Neo4jScoreProjection(driver), new InMemoryScoreCache(),
                new ScoringSettings(WINDOW, Duration.ofSeconds(1), Duration.ofMinutes(1), 500),
                PostgresAdapters.advisoryLock(dataSource), Clock.fixed(now, ZoneOffset.UTC), new RecordingEventBus());
        TenantId tenant = TenantId.of("it-" + UUID.randomUUID());
        legacySignals(tenant, now, List.of(Map.<String, Object>of("value", 0.9, "weight", 1e308), Map.<String, Object>of("value", 0.3, "weight", 1e308)));

        materializer.run();

        assertThat(scores.find(tenant)).contains(new CoherenceScore(tenant, 0.6, ScoreStatus.WARN, now));
    }

    /**
     * 200 tenants wait for their first score while 40 busy tenants get new signals before every run
     * and one tenant's window cannot be read (a value stored as text): runs of 40 still score all
     * 200 within the runs their number needs, plus a few for the failing tenant, which backs off.
     */
    @Test
    void busyAndFailingTenantsDoNotKeepNewTenantsFromTheirFirstScore() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MovableClock clock = new MovableClock(start);
        Neo4jSignalRepository signals = new Neo4jSignalRepository(driver);
        Neo4jScoreProjection projection = new Neo4jScoreProjection(driver);
        PostgresScoreRepository scores = PostgresAdapters.scoreRepository(dataSource);
        MaterializerMetrics metrics = new MaterializerMetrics(null, clock);
        // A staleness bound of ten years keeps the stale path out of the way.
        ScoreMaterializer materializer = new ScoreMaterializer(signals, scores, projection, new InMemoryScoreCache(),
                new ScoringSettings(WINDOW, Duration.ofSeconds(1), Duration.ofDays(3650), 40),
                PostgresAdapters.advisoryLock(dataSource), clock, new RecordingEventBus(), metrics);
        String run = UUID.randomUUID().toString();
        List<TenantId> busy = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            busy.add(TenantId.of("it-busy-" + run + "-" + i));
        }
        busy.forEach(t -> signals.saveAll(List.of(signal(t, "first", start.minusSeconds(5), 0.5, 1.0))));
        TenantId failing = TenantId.of("it-failing-" + run);
        legacySignals(failing, start, List.of(Map.<String, Object>of("value", "not a number", "weight", 1.0)));
        List<TenantId> fresh = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            TenantId tenant = TenantId.of("it-new-" + run + "-" + i);
            fresh.add(tenant);
            signals.saveAll(List.of(signal(tenant, "only", start.minusSeconds(5), 0.8, 1.0)));
        }
        // Whatever other tests left pending in the shared graph is in line too.
        int waiting = projection.pending(1_000_000).size();
        int runs = (waiting + 39) / 40 + 3;

        for (int r = 0; r < runs; r++) {
            int round = r;
            signals.saveAll(busy.stream().map(t -> signal(t, "busy-" + round, start.minusSeconds(4), 0.5, 1.0)).toList());
            clock.advance(Duration.ofSeconds(1));
            materializer.run();
        }

        List<TenantId> unscored = fresh.stream().filter(t -> scores.find(t).isEmpty()).toList();
        assertThat(unscored).as("new tenants without a score after %d runs", runs).isEmpty();
        assertThat(scores.find(failing)).isEmpty();
        assertThat(metrics.status().failingTenants()).extracting(TenantBackoff.Failure::tenant).contains(failing);
        assertThat(metrics.status().failingTenants()).filteredOn(f -> f.tenant().equals(failing))
                .singleElement().satisfies(f -> assertThat(f.failures()).isGreaterThanOrEqualTo(2));
    }

    /**
     * A tenant's PostgreSQL row is lost while the graph still holds its score (a restored backup, a
     * deleted row): it is not pending, and the read model cannot list what it lacks, so the stale list
     * comes from the graph and the row is back after the first run past the staleness bound.
     */
    @Test
    void aTenantWhosePostgresRowIsLostGetsItBackOnceItsScoreIsStale() throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        MovableClock clock = new MovableClock(start);
        Neo4jSignalRepository signals = new Neo4jSignalRepository(driver);
        PostgresScoreRepository scores = PostgresAdapters.scoreRepository(dataSource);
        // Runs large enough for every tenant other tests left in the shared stores.
        ScoreMaterializer materializer = new ScoreMaterializer(signals, scores, new Neo4jScoreProjection(driver),
                new InMemoryScoreCache(), new ScoringSettings(WINDOW, Duration.ofSeconds(1), Duration.ofMinutes(1), 100_000),
                PostgresAdapters.advisoryLock(dataSource), clock, new RecordingEventBus());
        TenantId tenant = TenantId.of("it-lost-row-" + UUID.randomUUID());
        signals.saveAll(List.of(signal(tenant, "only", start.minusSeconds(5), 0.8, 1.0)));
        materializer.run();
        assertThat(scores.find(tenant)).as("scored once").isPresent();

        try (var c = dataSource.getConnection(); var delete = c.prepareStatement("DELETE FROM coherence_scores WHERE tenant_id = ?")) {
            delete.setString(1, tenant.value());
            assertThat(delete.executeUpdate()).isOne();
        }
        clock.advance(Duration.ofSeconds(2));
        materializer.run();
        assertThat(scores.find(tenant)).as("not pending, not yet stale").isEmpty();

        clock.advance(Duration.ofMinutes(1));
        materializer.run();

        assertThat(scores.find(tenant)).as("the row after a run past the staleness bound")
                .contains(new CoherenceScore(tenant, 0.8, ScoreStatus.HEALTHY, clock.instant()));
    }

    /** Writes signals the way older releases could store them, bypassing today's checks. */
    private static void legacySignals(TenantId tenant, Instant ts, List<Map<String, Object>> signals) {
        try (var session = driver.session()) {
            session.run("""
                    MERGE (t:Tenant {tenant_id: $tenantId})
                    SET t.signal_version = coalesce(t.signal_version, 0) + size($signals)
                    WITH t
                    UNWIND range(0, size($signals) - 1) AS i
                    CREATE (:Signal {tenant_id: $tenantId, source: 'legacy', signal_id: 'legacy-' + i, ts: $ts,
                                     type: 'latency', value: $signals[i].value, weight: $signals[i].weight})
                    """, Map.of("tenantId", tenant.value(), "ts", ts.atZone(ZoneOffset.UTC), "signals", signals)).consume();
        }
    }

    private static Signal signal(TenantId tenant, String id, Instant ts, double value, double weight) {
        return new Signal(new SignalIdentity(tenant, "probe-1", id, ts), "latency", value, weight,
                new Provenance(UUID.randomUUID().toString(), "h", "http", TAGS));
    }

    /** The weighted mean over the window, in decimal arithmetic, written from the definition. */
    private static CoherenceScore reference(TenantId tenant, List<Signal> signals, Instant now) {
        Instant from = now.minus(WINDOW);
        BigDecimal weighted = BigDecimal.ZERO;
        BigDecimal weights = BigDecimal.ZERO;
        for (Signal s : signals) {
            if (!s.ts().isBefore(from)) {
                weighted = weighted.add(BigDecimal.valueOf(s.value()).multiply(BigDecimal.valueOf(s.weight())),
                        MathContext.DECIMAL128);
                weights = weights.add(BigDecimal.valueOf(s.weight()), MathContext.DECIMAL128);
            }
        }
        if (weights.signum() == 0) {
            return new CoherenceScore(tenant, 0.0, ScoreStatus.UNKNOWN, now);
        }
        BigDecimal score = weighted.divide(weights, MathContext.DECIMAL128).setScale(2, RoundingMode.HALF_UP);
        ScoreStatus status = score.compareTo(HEALTHY_AT) >= 0 ? ScoreStatus.HEALTHY
                : score.compareTo(WARN_AT) >= 0 ? ScoreStatus.WARN : ScoreStatus.CRITICAL;
        return new CoherenceScore(tenant, score.doubleValue(), status, now);
    }

    private static final class InMemoryScoreCache implements ScoreCache {

        final Map<TenantId, CoherenceScore> entries = new ConcurrentHashMap<>();

        @Override
        public Optional<CoherenceScore> get(TenantId tenant) {
            return Optional.ofNullable(entries.get(tenant));
        }

        @Override
        public void put(CoherenceScore score) {
            entries.put(score.tenant(), score);
        }

        @Override
        public void evict(TenantId tenant) {
            entries.remove(tenant);
        }

    }
}
