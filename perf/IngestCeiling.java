import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.AuthToken;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;

/**
 * The raw batched-write ceiling of durable ingest (issue 16): what the official driver alone
 * commits into the same Neo4j, with the service's data model and none of its work. Closed loop:
 *
 *   java -cp DRIVER perf/IngestCeiling.java [seconds=20] [writers=2] [batch=1000] [tenants=1]
 *
 * (perf/ingest-ceiling.sh builds the class path.) Each writer commits one UNWIND … MERGE
 * transaction of {@code batch} new signals after another: the Signal merged on the full identity
 * (tenant_id, source, signal_id, ts) with the properties Neo4jSignalRepository's upsert sets on
 * create, the Tenant merged, and the EMITS relationship from it. No tenant lock, no version or
 * sequence, no ledger: those are the service's and part of the gap this measures. The signals go
 * to tenants of their own ({@code ceiling-1} …, the writers share them as the load probe's clients
 * share tenant-123); without a signal_version the materializer never picks them up.
 *
 * The Bolt URI comes from target/devstack/devstack.json ({@code neo4jUri}; override with
 * COHERENCE_DEVSTACK); NEO4J_USER/NEO4J_PASSWORD if set, else no auth (the dev stack's Neo4j).
 * Prints transactions, signals/s and the transaction latency.
 */
public class IngestCeiling {

    static final String UPSERT = """
            UNWIND $rows AS row
            MERGE (t:Tenant {tenant_id: row.tenantId})
            MERGE (s:Signal {tenant_id: row.tenantId, source: row.source, signal_id: row.signalId, ts: row.ts})
              ON CREATE SET s.type = row.type, s.value = row.value, s.weight = row.weight,
                            s.provenance_id = row.provenanceId, s.request_hash = row.requestHash,
                            s.channel = row.channel, s.origin = row.origin, s.purpose = row.purpose, s.retention = row.retention,
                            s.license = row.license, s.residency = row.residency, s.ingested_at = datetime()
            MERGE (t)-[:EMITS]->(s)
            """;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int writers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int tenants = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        String descriptor = Files.readString(Path.of(System.getenv().getOrDefault("COHERENCE_DEVSTACK", "target/devstack/devstack.json")));
        String user = System.getenv("NEO4J_USER");
        AuthToken auth = user == null ? AuthTokens.none() : AuthTokens.basic(user, System.getenv().getOrDefault("NEO4J_PASSWORD", ""));

        try (Driver driver = GraphDatabase.driver(field(descriptor, "neo4jUri"), auth,
                Config.builder().withLogging(Logging.none()).withMaxConnectionPoolSize(writers).build())) {
            driver.verifyConnectivity();
            // Warm-up: the plan cached and the connections open before the clock starts.
            for (int i = 0; i < writers; i++) {
                write(driver, batch, tenants);
            }
            AtomicLong signals = new AtomicLong();
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<long[]>> results = new ArrayList<>();
            long started = System.nanoTime();
            for (int w = 0; w < writers; w++) {
                results.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        write(driver, batch, tenants);
                        latencies.add(System.nanoTime() - t0);
                        signals.addAndGet(batch);
                    }
                    return latencies.stream().mapToLong(Long::longValue).toArray();
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : results) {
                for (long l : f.get()) {
                    all.add(l);
                }
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            pool.shutdown();
            long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("mode=ceiling writers=%d seconds=%.1f batch=%d tenants=%d%n", writers, elapsed, batch, tenants);
            System.out.printf("transactions=%d signals=%d signals/s=%.0f%n", sorted.length, signals.get(), signals.get() / elapsed);
            System.out.printf("transaction ms p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
        }
    }

    /** One committed transaction of {@code batch} new signals, spread round-robin over the tenants. */
    static void write(Driver driver, int batch, int tenants) {
        List<Map<String, Object>> rows = new ArrayList<>(batch);
        ZonedDateTime ts = Instant.now().atZone(ZoneOffset.UTC);
        String prefix = UUID.randomUUID().toString();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < batch; i++) {
            Map<String, Object> row = new HashMap<>();
            row.put("tenantId", "ceiling-" + (1 + i % tenants));
            row.put("source", "loadprobe");
            row.put("signalId", prefix + "-" + i);
            row.put("ts", ts);
            row.put("type", "load");
            row.put("value", Math.round(random.nextDouble() * 1000) / 1000.0);
            row.put("weight", 1.0);
            row.put("provenanceId", UUID.randomUUID().toString());
            row.put("requestHash", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong())
                    + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()));
            row.put("channel", "http");
            row.put("origin", null);
            row.put("purpose", "benchmarking");
            row.put("retention", "standard-365d");
            row.put("license", "Restricted-TOS");
            row.put("residency", "US");
            rows.add(row);
        }
        try (Session session = driver.session()) {
            session.executeWrite(tx -> tx.run(UPSERT, Map.of("rows", rows)).consume());
        }
    }

    static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " missing in devstack.json");
        }
        return m.group(1);
    }
}
