package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The per-minute signal buckets against the real graph: kept by ingest, retention and erasure in
 * their transactions, built for signals stored without them, and read at the window's edges.
 */
class Neo4jSignalBucketsIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private static Driver driver;
    private static Neo4jSignalRepository repository;

    private final TenantId tenant = TenantId.of("it-buckets-" + UUID.randomUUID());
    /** Some way into a minute, so a window from here has a partial first minute. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusMillis(37_123);

    @BeforeAll
    static void connect() {
        driver = EmbeddedEngines.shared().neo4jDriver();
        repository = new Neo4jSignalRepository(driver);
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    private Signal signal(String id, Instant ts, double value, double weight) {
        return new Signal(new SignalIdentity(tenant, "probe-1", id, ts), "latency", value, weight,
                new Provenance("p-" + id + "-" + UUID.randomUUID(), "h", "http", TAGS));
    }

    /** The window's sums from the definition, in decimal arithmetic. */
    private static void assertWindow(WindowTotals totals, List<Signal> signals, Instant from) {
        BigDecimal weighted = BigDecimal.ZERO;
        BigDecimal weights = BigDecimal.ZERO;
        long count = 0;
        for (Signal s : signals) {
            if (!s.ts().isBefore(from)) {
                BigDecimal weight = BigDecimal.valueOf(Math.min(s.weight(), Signal.MAX_WEIGHT));
                weighted = weighted.add(BigDecimal.valueOf(s.value()).multiply(weight), MathContext.DECIMAL128);
                weights = weights.add(weight, MathContext.DECIMAL128);
                count++;
            }
        }
        assertThat(totals.count()).as("count").isEqualTo(count);
        assertThat(totals.weightedValueSum()).as("Σ value·weight").isCloseTo(weighted.doubleValue(), within(1e-9));
        assertThat(totals.weightSum()).as("Σ weight").isCloseTo(weights.doubleValue(), within(1e-9));
    }

    private long bucketedVersion() {
        try (var session = driver.session()) {
            var r = session.run("MATCH (t:Tenant {tenant_id: $t}) RETURN t.bucketed_version AS b, t.signal_version AS v",
                    Map.of("t", tenant.value())).single();
            assertThat(r.get("b").isNull()).as("bucketed_version set").isFalse();
            assertThat(r.get("b").asLong()).as("bucketed_version").isEqualTo(r.get("v").asLong());
            return r.get("b").asLong();
        }
    }

    @Test
    void duplicatesAndRetriesAreCountedOnce() {
        List<Signal> signals = IntStream.range(0, 30)
                .mapToObj(i -> signal("s-" + i, now.minusSeconds(i * 17L), 0.1 + i / 40.0, 1.0 + i)).toList();
        repository.saveAll(signals);
        repository.saveAll(signals);
        repository.saveAll(signals.stream().map(s -> signal(s.identity().signalId(), s.ts(), 0.99, 500.0)).toList());

        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        assertThat(BucketCheck.stored(driver, tenant).values().stream().mapToLong(BucketCheck.Sums::count).sum())
                .isEqualTo(30);
        assertThat(bucketedVersion()).isEqualTo(30);
        assertWindow(repository.windowTotals(tenant, now.minus(Duration.ofHours(24))), signals, now.minus(Duration.ofHours(24)));
    }

    @Test
    void theWindowIsExactAtMinuteEdges() {
        Instant from = now.minus(Duration.ofHours(24));
        Instant fullFrom = from.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        List<Signal> signals = List.of(
                signal("at-from", from, 0.7, 2.0),
                signal("before-from", from.minusMillis(1), 0.9, 5.0),
                signal("minute-start-before-from", from.truncatedTo(ChronoUnit.MINUTES), 0.3, 4.0),
                signal("last-ms-of-partial-minute", fullFrom.minusMillis(1), 0.2, 3.0),
                signal("first-whole-minute", fullFrom, 0.4, 6.0),
                signal("heavy", from.plusSeconds(600), 0.5, 1_000_000.0),
                signal("future", now.plus(Duration.ofHours(2)), 0.6, 7.0),
                signal("now", now, 0.8, 1.5));
        repository.saveAll(signals);

        assertWindow(repository.windowTotals(tenant, from), signals, from);
        assertWindow(repository.windowTotals(tenant, from.minusMillis(1)), signals, from.minusMillis(1));
        assertWindow(repository.windowTotals(tenant, fullFrom), signals, fullFrom);
        assertWindow(repository.windowTotals(tenant, fullFrom.minusMillis(1)), signals, fullFrom.minusMillis(1));
        assertWindow(repository.windowTotals(tenant, fullFrom.plusMillis(1)), signals, fullFrom.plusMillis(1));
        assertWindow(repository.windowTotals(tenant, from.truncatedTo(ChronoUnit.MINUTES)), signals,
                from.truncatedTo(ChronoUnit.MINUTES));
        BucketCheck.assertBucketsMatchSignals(driver, tenant);
    }

    @Test
    void retentionDeletesLeaveTheirBuckets() {
        Random random = new Random(16);
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            signals.add(signal("s-" + i, now.minusMillis((long) (random.nextDouble() * Duration.ofHours(3).toMillis())),
                    random.nextDouble(), 0.1 + 9.9 * random.nextDouble()));
        }
        repository.saveAll(signals);
        Neo4jRetentionStore retention = new Neo4jRetentionStore(driver, new Neo4jLedger(driver));
        // Some way into a minute, so that minute keeps part of its signals; in batches of 7.
        Instant cutoff = now.minus(Duration.ofMinutes(95)).plusMillis(20_500);
        while (retention.deleteBefore(tenant, cutoff, 7, RetentionTier.STANDARD_365D, now).deleted() > 0) {
            BucketCheck.assertBucketsMatchSignals(driver, tenant);
        }

        List<Signal> kept = signals.stream().filter(s -> !s.ts().isBefore(cutoff)).toList();
        assertThat(kept).hasSizeBetween(1, 79);
        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        assertThat(BucketCheck.stored(driver, tenant).keySet()).allSatisfy(minute ->
                assertThat(minute).isGreaterThanOrEqualTo(SignalBuckets.minuteOf(cutoff)));
        Instant from = now.minus(Duration.ofHours(24));
        assertWindow(repository.windowTotals(tenant, from), kept, from);
        bucketedVersion();
    }

    @Test
    void signalsStoredWithoutBucketsAreReadFromTheSignalsUntilTheBackfillBuildsThem() {
        List<Signal> before = List.of(signal("new-1", now.minusSeconds(30), 0.4, 2.0));
        repository.saveAll(before);
        Instant oldTs = now.minus(Duration.ofHours(2)).plusMillis(1);
        try (var session = driver.session()) {
            // As an older release stores them: the tenant's version moves, its buckets do not.
            session.run("""
                    MATCH (t:Tenant {tenant_id: $tenantId})
                    SET t.signal_version = t.signal_version + 3
                    WITH t
                    UNWIND range(1, 3) AS i
                    CREATE (t)-[:EMITS]->(:Signal {tenant_id: $tenantId, source: 'legacy', signal_id: 'legacy-' + i,
                                                   ts: $ts, type: 'latency', value: 0.1 * i, weight: 1e308})
                    """, Map.of("tenantId", tenant.value(), "ts", oldTs.atZone(ZoneOffset.UTC))).consume();
        }
        List<Signal> all = new ArrayList<>(before);
        for (int i = 1; i <= 3; i++) {
            all.add(new Signal(new SignalIdentity(tenant, "legacy", "legacy-" + i, oldTs), "latency", 0.1 * i,
                    Signal.MAX_WEIGHT, new Provenance("x", "h", "http", TAGS)));
        }
        Instant from = now.minus(Duration.ofHours(24));
        assertWindow(repository.windowTotals(tenant, from), all, from);
        Neo4jMinuteTotals minutes = new Neo4jMinuteTotals(driver);
        long toMinute = SignalBuckets.minuteOf(now) + 1;
        assertThat(minutes.between(tenant, toMinute - 24 * 60, toMinute)).as("no history from incomplete sums").isEmpty();
        List<Signal> later = List.of(signal("new-2", now.minusSeconds(10), 0.9, 1.0));
        repository.saveAll(later);
        all.addAll(later);
        assertWindow(repository.windowTotals(tenant, from), all, from);

        assertThat(SignalBuckets.backfill(driver)).isGreaterThanOrEqualTo(1);

        assertThat(bucketedVersion()).isEqualTo(5);
        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        assertWindow(repository.windowTotals(tenant, from), all, from);
        // The history's read: every minute of the range, the legacy weights capped as in the window.
        var history = minutes.between(tenant, toMinute - 24 * 60, toMinute).orElseThrow();
        assertThat(history).extracting(io.coherence.domain.score.MinuteTotals::minute)
                .containsExactlyInAnyOrder(SignalBuckets.minuteOf(oldTs), SignalBuckets.minuteOf(now.minusSeconds(10)));
        assertThat(history.stream().mapToLong(io.coherence.domain.score.MinuteTotals::count).sum()).isEqualTo(5);
        assertThat(history.stream().mapToDouble(io.coherence.domain.score.MinuteTotals::weightSum).sum())
                .isCloseTo(3 * Signal.MAX_WEIGHT + 3.0, within(1e-6));
        assertThat(minutes.between(TenantId.of("it-buckets-never-" + UUID.randomUUID()), 0, toMinute))
                .as("a tenant Neo4j never saw has complete, empty sums").hasValue(List.of());
        List<Signal> last = List.of(signal("new-3", now.minusSeconds(5), 0.2, 3.0));
        repository.saveAll(last);
        all.addAll(last);
        assertThat(bucketedVersion()).isEqualTo(6);
        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        assertWindow(repository.windowTotals(tenant, from), all, from);
    }

    @Test
    void aSignalThatIsNotANumberNeitherStopsTheBackfillNorItsOwnDeletion() {
        repository.saveAll(List.of(signal("fine", now.minus(Duration.ofHours(3)), 0.5, 1.0)));
        try (var session = driver.session()) {
            session.run("""
                    MATCH (t:Tenant {tenant_id: $tenantId})
                    SET t.signal_version = t.signal_version + 1
                    CREATE (t)-[:EMITS]->(:Signal {tenant_id: $tenantId, source: 'legacy', signal_id: 'nan', ts: $ts,
                                                   type: 'latency', value: 'not a number', weight: 1.0, provenance_id: 'nan'})
                    """, Map.of("tenantId", tenant.value(), "ts", now.minus(Duration.ofHours(3)).atZone(ZoneOffset.UTC))).consume();
        }

        SignalBuckets.backfill(driver);

        Neo4jRetentionStore retention = new Neo4jRetentionStore(driver, new Neo4jLedger(driver));
        assertThat(retention.deleteBefore(tenant, now.minus(Duration.ofHours(1)), 10, RetentionTier.STANDARD_365D, now)
                .deleted()).isEqualTo(2);
        assertThat(BucketCheck.stored(driver, tenant)).isEmpty();
        SignalBuckets.backfill(driver);
        assertThat(bucketedVersion()).isEqualTo(2);
    }

    @Test
    void concurrentWritersOfOneTenantKeepEveryBucketExact() throws Exception {
        int writers = 6;
        int batches = 10;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                List<List<Signal>> lists = new ArrayList<>();
                for (int b = 0; b < batches; b++) {
                    List<Signal> list = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        // Every writer writes into the same few minutes, and repeats one identity of another writer.
                        list.add(signal("w" + w + "-" + b + "-" + i, now.minusSeconds((i * 23L) % 180), 0.05 * i, 1.0 + w));
                    }
                    list.add(signal("shared-" + b, now.minusSeconds(b), 0.5, 2.0));
                    lists.add(list);
                }
                futures.add(pool.submit(() -> {
                    start.await();
                    for (List<Signal> list : lists) {
                        repository.saveAll(list);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }

        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        long stored = writers * batches * 10L + batches;
        assertThat(repository.windowTotals(tenant, now.minus(Duration.ofHours(24))).count()).isEqualTo(stored);
        assertThat(bucketedVersion()).isEqualTo(stored);
    }
}
