import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.neo4j.Neo4jSignalRepository;
import io.coherence.infrastructure.neo4j.SignalBuckets;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.EngineData;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;

/**
 * Times the materializer's window read for one tenant whose last 24 h hold N signals, against the
 * test support's embedded Neo4j (the dev stack's engine and settings): today's read from the
 * per-minute buckets ({@code Neo4jSignalRepository.windowTotals}) and, on the same data in the same
 * run, the scan of every signal in the window that it replaced. Signals are loaded the way an
 * older release stored them and then get their buckets from the start-up backfill, which is timed
 * too. The engines' data is kept in target/window-cost, so a second run only reads (delete the
 * directory to load again). Run with the test classpath (see perf/README.md, "Scoring window cost"):
 * {@code java -cp ... perf/WindowCost.java 1000,1000000 15}.
 */
public class WindowCost {

    /** The window read before issue 16: every signal of the tenant since {@code $from}. */
    static final String SCAN = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.ts >= $from
            WITH s, CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
            RETURN coalesce(sum(s.value * weight), 0.0) AS weightedValueSum,
                   coalesce(sum(weight), 0.0) AS weightSum, count(s) AS count
            """;

    static final String LOAD = """
            MERGE (t:Tenant {tenant_id: $tenantId})
            SET t.signal_version = coalesce(t.signal_version, 0) + size($offsets)
            WITH t
            UNWIND $offsets AS i
            CREATE (t)-[:EMITS]->(:Signal {tenant_id: $tenantId, source: 'bench', signal_id: 's-' + i,
                                           ts: datetime({epochMillis: $newest - i * $spacing, timezone: 'Z'}),
                                           type: 'latency', value: (i % 100) / 100.0, weight: 1.0 + i % 7,
                                           provenance_id: 'p-' + i})
            """;

    public static void main(String[] args) {
        List<Integer> sizes = Arrays.stream((args.length > 0 ? args[0] : "1000,1000000").split(","))
                .map(Integer::parseInt).toList();
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        try (EmbeddedEngines engines = EmbeddedEngines.start(Path.of("target/window-cost"), EngineData.KEPT);
             Driver driver = engines.neo4jDriver()) {
            Neo4jSignalRepository repository = new Neo4jSignalRepository(driver);
            for (int n : sizes) {
                TenantId tenant = TenantId.of("bench-" + n);
                Instant now = newest(driver, tenant);
                double loadSeconds = 0;
                if (now == null) {
                    now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusMillis(29_500);
                    long loadStart = System.nanoTime();
                    load(driver, tenant, n, now);
                    loadSeconds = (System.nanoTime() - loadStart) / 1e9;
                }
                long backfillStart = System.nanoTime();
                SignalBuckets.backfill(driver);
                double backfillSeconds = (System.nanoTime() - backfillStart) / 1e9;
                // The window as the materializer reads it right after the newest signal (ts = now).
                Instant from = now.minus(Duration.ofHours(24));
                WindowTotals scan = scan(driver, tenant, from);
                WindowTotals buckets = repository.windowTotals(tenant, from);
                System.out.printf("%,d signals: loaded in %.1f s (0: kept from an earlier run), buckets built in %.1f s%n", n,
                        loadSeconds, backfillSeconds);
                System.out.printf("  scan    count %d, Σ value·weight %.17g, Σ weight %.17g%n", scan.count(),
                        scan.weightedValueSum(), scan.weightSum());
                System.out.printf("  buckets count %d, Σ value·weight %.17g, Σ weight %.17g%n", buckets.count(),
                        buckets.weightedValueSum(), buckets.weightSum());
                if (scan.count() != buckets.count()) {
                    throw new IllegalStateException("the two reads disagree on the count");
                }
                for (int i = 0; i < 3; i++) {
                    scan(driver, tenant, from);
                    repository.windowTotals(tenant, from);
                }
                List<Double> scanMs = new ArrayList<>();
                List<Double> bucketMs = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    scan(driver, tenant, from);
                    long t1 = System.nanoTime();
                    repository.windowTotals(tenant, from);
                    long t2 = System.nanoTime();
                    scanMs.add((t1 - t0) / 1e6);
                    bucketMs.add((t2 - t1) / 1e6);
                }
                System.out.printf("  window read, median of %d warm runs: scan %.2f ms, buckets %.2f ms%n", runs,
                        median(scanMs), median(bucketMs));
            }
        }
    }

    /** The newest signal's ts of a tenant loaded by an earlier run (the data is kept), else null. */
    static Instant newest(Driver driver, TenantId tenant) {
        try (var session = driver.session()) {
            var v = session.run("MATCH (s:Signal {tenant_id: $t}) RETURN max(s.ts) AS newest", Map.of("t", tenant.value()))
                    .single().get("newest");
            return v.isNull() ? null : v.asZonedDateTime().toInstant();
        }
    }

    /** n signals spread evenly over the 24 h up to {@code newest}, in batches of 20,000. */
    static void load(Driver driver, TenantId tenant, int n, Instant newest) {
        long spacing = Math.max(1, Duration.ofHours(24).minusSeconds(1).toMillis() / n);
        try (var session = driver.session()) {
            for (int start = 0; start < n; start += 20_000) {
                List<Integer> offsets = new ArrayList<>();
                for (int i = start; i < Math.min(n, start + 20_000); i++) {
                    offsets.add(i);
                }
                session.executeWriteWithoutResult(tx -> tx.run(LOAD, Map.of("tenantId", tenant.value(), "offsets", offsets,
                        "newest", newest.toEpochMilli(), "spacing", spacing)).consume());
            }
        }
    }

    static WindowTotals scan(Driver driver, TenantId tenant, Instant from) {
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            Record r = session.run(SCAN, Map.of("tenantId", tenant.value(), "from", from.atZone(ZoneOffset.UTC),
                    "maxWeight", Signal.MAX_WEIGHT)).single();
            return new WindowTotals(r.get("weightedValueSum").asDouble(), r.get("weightSum").asDouble(), r.get("count").asLong());
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
