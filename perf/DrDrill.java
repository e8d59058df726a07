import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;

/**
 * The two client sides of the backup/restore drill (perf/dr-drill.sh runs them):
 *
 *   java -cp CP perf/DrDrill.java load DEVSTACK_JSON RECORDS_FILE TENANTS SIGNALS_PER_SECOND
 *   java -cp CP perf/DrDrill.java check DEVSTACK_JSON RECORDS_FILE TENANTS BACKUP_MILLIS OUT_JSON
 *
 * load: one client per tenant ({@code dr-1} …) pushes batches of 10 new signals through HTTP ingest
 * at the given total rate until it is killed (values in [0, 0.3], in [0.7, 1] once the file
 * RECORDS_FILE.after-backup exists), and writes one line per signal it sent
 * ({@code sent tenant signalId value weight ts}) before sending and one per signal the service
 * acknowledged ({@code ack epochMillis tenant signalId}) after the 202, flushed per batch. A refused
 * or failed request (the stack stopped for the backup, or failed) is retried with the same signals
 * until acknowledged, as a client that keeps its unacknowledged signals does.
 *
 * check (against the restored stack): which sent signals the restored Neo4j holds; acknowledged
 * signals missing (the RPO) and whether any acknowledged before the backup started is missing
 * (must be none); that each tenant's served score equals the weighted mean of exactly the signals
 * present, polled until it does (the end of the RTO); each tenant's ledger verified. Then the
 * missing acknowledged signals are sent again (their ids and timestamps, so idempotent ingest stores
 * each once) and presence, scores and ledgers are checked once more. Writes OUT_JSON.
 */
public class DrDrill {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final int BATCH = 10;

    public static void main(String[] args) throws Exception {
        String stack = Files.readString(Path.of(args[1]));
        Path records = Path.of(args[2]);
        int tenants = Integer.parseInt(args[3]);
        switch (args[0]) {
            case "load" -> load(stack, records, tenants, Double.parseDouble(args[4]));
            case "check" -> check(stack, records, tenants, Long.parseLong(args[4]), Path.of(args[5]));
            default -> throw new IllegalArgumentException("load or check");
        }
    }

    // --- load ----------------------------------------------------------------------------------------

    static void load(String stack, Path records, int tenants, double rate) throws Exception {
        PrivateKey key = privateKey(Path.of(field(stack, "signingKey")));
        URI ingest = URI.create(field(stack, "ingestUrl"));
        long pauseNanos = (long) (1e9 * BATCH * tenants / rate);
        try (BufferedWriter out = Files.newBufferedWriter(records)) {
            List<Thread> clients = new ArrayList<>();
            for (int t = 1; t <= tenants; t++) {
                String tenant = "dr-" + t;
                String token = token(key, stack, tenant, "coherence:read coherence:write");
                Path phase2 = Path.of(records + ".after-backup");
                Thread client = new Thread(() -> push(ingest, tenant, token, pauseNanos, out, phase2), tenant);
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join();
            }
        }
    }

    private static void push(URI ingest, String tenant, String token, long pauseNanos, BufferedWriter out, Path phase2) {
        long next = System.nanoTime();
        for (long n = 1; ; n += BATCH) {
            StringBuilder body = new StringBuilder("[");
            StringBuilder sent = new StringBuilder();
            List<String> ids = new ArrayList<>();
            String ts = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            for (long i = n; i < n + BATCH; i++) {
                String id = tenant + "-" + i;
                // Low values before the backup, high ones after it: a restore that lost data from
                // before the backup, or kept some from after it, shows in the served score too.
                double low = Files.exists(phase2) ? 0.7 : 0.0;
                double value = Math.round((low + ThreadLocalRandom.current().nextDouble() * 0.3) * 1000) / 1000.0;
                int weight = 1 + ThreadLocalRandom.current().nextInt(5);
                ids.add(id);
                body.append(body.length() > 1 ? "," : "").append(signal(tenant, id, value, weight, ts));
                sent.append(String.format(Locale.ROOT, "sent %s %s %s %d %s%n", tenant, id, value, weight, ts));
            }
            write(out, sent.toString());
            String json = body.append(']').toString();
            while (!acknowledged(ingest, token, json)) {
                sleep(200);
            }
            long at = System.currentTimeMillis();
            StringBuilder acks = new StringBuilder();
            ids.forEach(id -> acks.append("ack ").append(at).append(' ').append(tenant).append(' ').append(id).append('\n'));
            write(out, acks.toString());
            next += pauseNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                sleep(wait / 1_000_000);
            } else {
                next = System.nanoTime();
            }
        }
    }

    private static boolean acknowledged(URI ingest, String token, String json) {
        try {
            HttpResponse<String> r = post(ingest, token, json);
            return r.statusCode() == 202;
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(BufferedWriter out, String lines) {
        synchronized (out) {
            try {
                out.write(lines);
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // --- check ---------------------------------------------------------------------------------------

    record Sent(String tenant, String id, double value, int weight, String ts) {
    }

    static void check(String stack, Path records, int tenants, long backupMillis, Path outFile) throws Exception {
        Map<String, Sent> sent = new LinkedHashMap<>();
        Map<String, Long> acked = new LinkedHashMap<>();
        for (String line : Files.readAllLines(records)) {
            String[] f = line.split(" ");
            if (f[0].equals("sent") && f.length == 6) {
                sent.put(f[2], new Sent(f[1], f[2], Double.parseDouble(f[3]), Integer.parseInt(f[4]), f[5]));
            } else if (f[0].equals("ack") && f.length == 4) {
                acked.put(f[3], Long.parseLong(f[1]));
            }
        }
        PrivateKey key = privateKey(Path.of(field(stack, "signingKey")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sent", sent.size());
        out.put("acknowledged", acked.size());
        try (Driver neo4j = GraphDatabase.driver(field(stack, "neo4jUri"), AuthTokens.none(),
                Config.builder().withLogging(Logging.none()).build())) {
            Set<String> present = present(neo4j, tenants);
            List<Long> missingAcks = new ArrayList<>();
            List<String> missingIds = new ArrayList<>();
            long missingBeforeBackup = 0;
            for (Map.Entry<String, Long> a : acked.entrySet()) {
                if (!present.contains(a.getKey())) {
                    missingIds.add(a.getKey());
                    missingAcks.add(a.getValue());
                    missingBeforeBackup += a.getValue() < backupMillis ? 1 : 0;
                }
            }
            Set<String> unknown = new HashSet<>(present);
            unknown.removeAll(sent.keySet());
            out.put("presentAfterRestore", present.size());
            out.put("acknowledgedMissing", missingIds.size());
            out.put("acknowledgedBeforeBackupMissing", missingBeforeBackup);
            out.put("presentNotAcknowledged", present.stream().filter(id -> !acked.containsKey(id)).count());
            out.put("presentNeverSent", unknown.size());
            if (!missingAcks.isEmpty()) {
                long first = missingAcks.stream().mapToLong(Long::longValue).min().orElseThrow();
                long last = missingAcks.stream().mapToLong(Long::longValue).max().orElseThrow();
                out.put("missingAcknowledgedFrom", Instant.ofEpochMilli(first).toString());
                out.put("missingAcknowledgedTo", Instant.ofEpochMilli(last).toString());
                out.put("missingAcknowledgedSpanSeconds", (last - first) / 1000.0);
            }
            out.put("scoresCorrectAtMillis", awaitScores(stack, key, tenants, sent, present));
            out.put("ledgerAfterRestore", ledgers(stack, key, tenants));

            // Recovery of what the RPO lost: the client sends its acknowledged signals again, in
            // batches of up to 500 per tenant, with their ids and timestamps.
            URI ingest = URI.create(field(stack, "ingestUrl"));
            Map<String, Integer> answers = new TreeMap<>();
            long replayStart = System.nanoTime();
            Map<String, List<Sent>> byTenant = new TreeMap<>();
            missingIds.forEach(id -> byTenant.computeIfAbsent(sent.get(id).tenant(), t -> new ArrayList<>()).add(sent.get(id)));
            for (Map.Entry<String, List<Sent>> tenant : byTenant.entrySet()) {
                String token = token(key, stack, tenant.getKey(), "coherence:read coherence:write");
                List<Sent> all = tenant.getValue();
                for (int from = 0; from < all.size(); from += 500) {
                    StringBuilder body = new StringBuilder("[");
                    for (Sent s : all.subList(from, Math.min(all.size(), from + 500))) {
                        body.append(body.length() > 1 ? "," : "").append(signal(s.tenant(), s.id(), s.value(), s.weight(), s.ts()));
                    }
                    HttpResponse<String> r = post(ingest, token, body.append(']').toString());
                    Matcher status = Pattern.compile("\"status\":\"([a-z_]+)\"").matcher(r.body());
                    boolean any = false;
                    while (status.find()) {
                        answers.merge(r.statusCode() + " " + status.group(1), 1, Integer::sum);
                        any = true;
                    }
                    if (!any) {
                        answers.merge(r.statusCode() + " " + r.body(), 1, Integer::sum);
                    }
                }
            }
            out.put("replayAnswers", answers);
            out.put("replaySeconds", Math.round((System.nanoTime() - replayStart) / 1e8) / 10.0);
            Set<String> afterReplay = present(neo4j, tenants);
            out.put("acknowledgedMissingAfterReplay", acked.keySet().stream().filter(id -> !afterReplay.contains(id)).count());
            out.put("scoresCorrectAfterReplayAtMillis", awaitScores(stack, key, tenants, sent, afterReplay));
            out.put("ledgerAfterReplay", ledgers(stack, key, tenants));
        }
        String json = toJson(out);
        Files.writeString(outFile, json);
        System.out.println(json);
    }

    /** Signal ids held in Neo4j for the drill's tenants. */
    private static Set<String> present(Driver neo4j, int tenants) {
        Set<String> ids = new HashSet<>();
        try (Session session = neo4j.session()) {
            for (int t = 1; t <= tenants; t++) {
                session.run("MATCH (s:Signal {tenant_id: $t}) WHERE s.ts IS NOT NULL RETURN s.signal_id AS id",
                        Values.parameters("t", "dr-" + t)).forEachRemaining(r -> ids.add(r.get("id").asString()));
            }
        }
        return ids;
    }

    /**
     * Polls each tenant's score until it is the weighted mean of exactly the signals present (to
     * 1e-9); returns the time it first held for all, or fails after two minutes.
     */
    private static long awaitScores(String stack, PrivateKey key, int tenants, Map<String, Sent> sent, Set<String> present)
            throws Exception {
        URI graphql = URI.create(field(stack, "graphqlUrl"));
        Map<String, Double> expected = new TreeMap<>();
        for (int t = 1; t <= tenants; t++) {
            String tenant = "dr-" + t;
            double sum = 0;
            double weights = 0;
            for (Sent s : sent.values()) {
                if (s.tenant().equals(tenant) && present.contains(s.id())) {
                    sum += s.value() * s.weight();
                    weights += s.weight();
                }
            }
            // The service's rounding (ScoreCalculator): 12 significant digits, then two decimals half-up.
            expected.put(tenant, new BigDecimal(Math.min(1.0, sum / weights)).round(new MathContext(12, RoundingMode.HALF_EVEN))
                    .setScale(2, RoundingMode.HALF_UP).doubleValue());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, String> lastSeen = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Map.Entry<String, Double> e : expected.entrySet()) {
                String token = token(key, stack, e.getKey(), "coherence:read");
                String body = post(graphql, token, "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score } }\","
                        + "\"variables\":{\"t\":\"" + e.getKey() + "\"}}").body();
                Matcher score = Pattern.compile("\"score\":([0-9.Ee-]+)").matcher(body);
                lastSeen.put(e.getKey(), body);
                all &= score.find() && Math.abs(Double.parseDouble(score.group(1)) - e.getValue()) < 1e-9;
            }
            if (all) {
                return System.currentTimeMillis();
            }
            sleep(100);
        }
        throw new IllegalStateException("scores not correct within 2 minutes: expected " + expected + ", served " + lastSeen);
    }

    /** verifyLedger for each tenant: "valid/entries", or the broken sequence. */
    private static Map<String, String> ledgers(String stack, PrivateKey key, int tenants) throws Exception {
        URI graphql = URI.create(field(stack, "graphqlUrl"));
        Map<String, String> verdicts = new TreeMap<>();
        for (int t = 1; t <= tenants; t++) {
            String tenant = "dr-" + t;
            String body = post(graphql, token(key, stack, tenant, "coherence:admin"),
                    "{\"query\":\"query($t:ID!){ verifyLedger(tenantId:$t){ entries valid firstBrokenSequence } }\","
                            + "\"variables\":{\"t\":\"" + tenant + "\"}}").body();
            Matcher m = Pattern.compile("\"entries\":(\\d+),\"valid\":(true|false),\"firstBrokenSequence\":(null|\\d+)").matcher(body);
            verdicts.put(tenant, m.find() ? (m.group(2).equals("true") ? "valid, " + m.group(1) + " entries"
                    : "BROKEN at " + m.group(3)) : "no answer: " + body);
        }
        return verdicts;
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static String signal(String tenant, String id, double value, int weight, String ts) {
        return String.format(Locale.ROOT, "{\"tenantId\":\"%s\",\"type\":\"dr\",\"value\":%s,\"weight\":%d,"
                + "\"source\":\"dr-drill\",\"signalId\":\"%s\",\"ts\":\"%s\"}", tenant, value, weight, id, ts);
    }

    private static HttpResponse<String> post(URI uri, String token, String json) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String token(PrivateKey key, String stack, String tenant, String scope) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(field(stack, "issuer")).audience(field(stack, "audience"))
                .subject("dr-drill").claim("tenant", tenant).claim("scope", scope)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2)))).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static PrivateKey privateKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " missing in devstack.json");
        }
        return m.group(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Numbers, strings and nested maps, enough for the drill's report. */
    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            map.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(toJson(v)));
            return s.append('}').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return '"' + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
