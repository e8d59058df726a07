import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A closed-loop load probe against a running Coherence (the dev stack by default). JDK only:
 *
 *   java perf/LoadProbe.java read   [clients=50] [seconds=30]   tenantCoherence (the seed k6 read query)
 *   java perf/LoadProbe.java ingest [clients=8]  [seconds=30] [batch=100]   POST /v1/coherence/signals
 *   java perf/LoadProbe.java health [clients=50] [seconds=30]   GET /health/live: the same server's trivial request
 *
 * URLs and the token come from target/devstack/devstack.json (override with COHERENCE_DEVSTACK).
 * Prints requests, errors, throughput and latency p50/p95/p99. Every ingest request carries new
 * signals, and only 202 answers (durable: after the Neo4j commit) count as ingested.
 */
public class LoadProbe {

    static final String READ_QUERY = "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score status updatedAt } }\",\"variables\":{\"t\":\"tenant-123\"}}";

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "read";
        boolean health = mode.equals("health");
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : (mode.equals("ingest") ? 8 : 50);
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        String descriptor = Files.readString(Path.of(System.getenv().getOrDefault("COHERENCE_DEVSTACK", "target/devstack/devstack.json")));
        String token = Files.readString(Path.of(field(descriptor, "tokenFile"))).trim();
        String graphql = field(descriptor, "graphqlUrl");
        URI url = URI.create(health ? graphql.substring(0, graphql.lastIndexOf("/graphql")) + "/health/live"
                : field(descriptor, mode.equals("read") ? "graphqlUrl" : "ingestUrl"));

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        warmUp(http, url, token, mode, batch);
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<Integer, AtomicLong> errorStatuses = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicLong items = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> results = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            results.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = send(http, url, token, body(mode, batch));
                    latencies.add(System.nanoTime() - t0);
                    boolean ok = switch (mode) {
                        case "read" -> r.statusCode() == 200 && !r.body().contains("\"errors\"");
                        case "health" -> r.statusCode() == 200;
                        default -> r.statusCode() == 202;
                    };
                    if (ok) {
                        items.addAndGet(mode.equals("ingest") ? batch : 1);
                    } else {
                        errors.incrementAndGet();
                        errorStatuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                    }
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
        System.out.printf("mode=%s clients=%d seconds=%.1f%s%n", mode, clients, elapsed, mode.equals("ingest") ? " batch=" + batch : "");
        System.out.printf("requests=%d errors=%d requests/s=%.0f %s/s=%.0f%n", sorted.length, errors.get(), sorted.length / elapsed,
                mode.equals("ingest") ? "signals" : mode.equals("read") ? "reads" : "answers", items.get() / elapsed);
        if (!errorStatuses.isEmpty()) {
            System.out.println("errors by HTTP status: " + new java.util.TreeMap<>(errorStatuses));
        }
        System.out.printf("latency ms p50=%.1f p95=%.1f p99=%.1f max=%.1f%n", pct(sorted, 50), pct(sorted, 95), pct(sorted, 99),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6);
    }

    static void warmUp(HttpClient http, URI url, String token, String mode, int batch) throws Exception {
        for (int i = 0; i < 20; i++) {
            send(http, url, token, body(mode, batch));
        }
    }

    static String body(String mode, int batch) {
        if (mode.equals("read")) {
            return READ_QUERY;
        }
        if (mode.equals("health")) {
            return null;
        }
        StringBuilder b = new StringBuilder("[");
        String now = Instant.now().toString();
        String prefix = UUID.randomUUID().toString();
        for (int i = 0; i < batch; i++) {
            b.append(i == 0 ? "" : ",").append("{\"tenantId\":\"tenant-123\",\"type\":\"load\",\"value\":")
                    .append(String.format("%.3f", Math.random())).append(",\"source\":\"loadprobe\",\"signalId\":\"")
                    .append(prefix).append('-').append(i).append("\",\"ts\":\"").append(now).append("\"}");
        }
        return b.append(']').toString();
    }

    static HttpResponse<String> send(HttpClient http, URI url, String token, String body) throws IOException, InterruptedException {
        if (body == null) {
            return http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        return http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
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
