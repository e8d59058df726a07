package io.coherence.devstack;

import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.EmbeddedKafka;
import io.coherence.testsupport.EngineData;
import io.coherence.testsupport.LibertyOverrides;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TokenMinter;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The first README command ({@code mvn -Pdev}, exec:java in Maven's JVM): starts PostgreSQL, Neo4j
 * and Redis (and Kafka when asked), starts Liberty against them, loads the fixtures through the
 * ingest endpoint, waits for the first score, writes {@code target/devstack/devstack.json} and
 * prints the URLs and a token. Ctrl-C or SIGTERM stops Liberty, then the engines; so does Liberty's
 * death, and then the JVM exits non-zero. It always ends with System.exit (see {@link Teardown}):
 * main never returns to exec:java, which would close the classloader under the stopping engines.
 *
 * <p>Without {@code -Ddata} the data is throwaway. With {@code -Ddata=DIR} (or
 * {@code COHERENCE_DEV_DATA=DIR}) the engines, the dev keys and the fact that the fixtures are loaded
 * live in DIR, so the next start on the same DIR gives everything back.
 */
public final class DevStack {

    private static final String FIXTURES_LOADED = "fixtures.loaded";

    private DevStack() {
    }

    public static void main(String[] args) {
        Teardown teardown = Teardown.forCurrentThread();
        int status;
        try {
            status = run(teardown);
        } catch (InterruptedException e) {
            status = teardown.stopStatus();
        } catch (Exception | Error e) {
            status = teardown.stopRequested() ? teardown.stopStatus() : 1;
            if (!teardown.stopRequested()) {
                System.out.println("[devstack] failed: " + e.getMessage());
            }
        }
        if (teardown.stopRequested()) {
            System.out.println("[devstack] " + teardown.stopReason());
        }
        teardown.stopAll();
        System.exit(status);
    }

    /** DIR from {@code -Ddata=DIR} or {@code COHERENCE_DEV_DATA}, when given. */
    static Optional<Path> dataDir() {
        String dir = setting("data", "COHERENCE_DEV_DATA", "");
        return dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir).toAbsolutePath());
    }

    /** Starts everything, then waits for Liberty; returns the launcher's exit status when Liberty exits. */
    private static int run(Teardown teardown) throws Exception {
        long started = System.nanoTime();
        Path work = Path.of(System.getProperty("coherence.workDir", "target/devstack")).toAbsolutePath();
        Path wlp = Path.of(System.getProperty("coherence.wlpHome", "target/liberty/wlp"));
        String serverName = System.getProperty("coherence.serverName", "coherence");
        int httpPort = Integer.parseInt(setting("http.port", "COHERENCE_DEV_HTTP_PORT", "9080"));
        int httpsPort = EmbeddedEngines.freePort();
        Optional<Path> kept = dataDir();
        Path data = kept.orElse(work.resolve("engines"));
        Path serverDir = wlp.resolve("usr/servers").resolve(serverName);
        Files.createDirectories(work);
        Files.createDirectories(serverDir);
        teardown.add("", lockOrFail(serverDir.resolve("devstack.lock")));
        // This launcher holds the server's lock, so a Liberty of this server still running lost its launcher.
        LibertyProcess.stopLeftover(wlp, serverName);
        Watchdog watchdog = teardown.add("", Watchdog.start());

        DevKeys keys = DevKeys.loadOrCreate((kept.isPresent() ? data : work).resolve("keys"));
        System.out.println(kept.map(d -> "[devstack] starting PostgreSQL, Neo4j and Redis on the data in " + d + " ...")
                .orElse("[devstack] starting PostgreSQL, Neo4j and Redis (throwaway data) ..."));
        EmbeddedEngines engines = teardown.add("Redis, PostgreSQL and Neo4j",
                EmbeddedEngines.start(data, kept.isPresent() ? EngineData.KEPT : EngineData.THROWAWAY));
        watchdog.watch(engines.postgresPid(), "INT");
        watchdog.watch(engines.redisPid(), "TERM");
        // Kafka is optional (off by default): -Dkafka=true or COHERENCE_DEV_KAFKA=true starts a broker too.
        EmbeddedKafka broker = null;
        if (Boolean.parseBoolean(setting("kafka", "COHERENCE_DEV_KAFKA", "false"))) {
            System.out.println("[devstack] starting Kafka (KRaft, one broker) ...");
            broker = teardown.add("Kafka", EmbeddedKafka.start(data.resolve("kafka"), 3,
                    kept.isPresent() ? EngineData.KEPT : EngineData.THROWAWAY));
            // The retention docs/kafka.md recommends, so the dev stack keeps the 24 h erasure promise too.
            broker.configureTopics(EmbeddedKafka.ERASURE_RETENTION);
        }
        Map<String, String> settings = new LinkedHashMap<>(StackSettings.of(engines, keys, httpPort, httpsPort));
        // Unique per replica (idempotency claims are released by name when a replica restarts).
        settings.put("COHERENCE_REPLICA_NAME", "devstack-1");
        // A switch left behind by a killed run with Kafka would fail this one without a broker.
        Files.deleteIfExists(serverDir.resolve("configDropins/overrides/kafka.xml"));
        Path kafkaSwitch = broker == null ? null : StackSettings.enableKafka(serverDir, Path.of(""), settings, broker);
        Path overrides = LibertyOverrides.write(serverDir, settings);
        // Without the embedded engines these settings are wrong; a later liberty:run must not inherit them.
        teardown.add("", () -> {
            Files.deleteIfExists(overrides);
            if (kafkaSwitch != null) {
                Files.deleteIfExists(kafkaSwitch);
            }
        });

        System.out.println("[devstack] starting Open Liberty on port " + httpPort + " ...");
        Path console = work.resolve("liberty-console.log");
        LibertyProcess liberty = teardown.add("Liberty", LibertyProcess.start(wlp, serverName, console));
        watchdog.watch(liberty.pid(), "TERM");

        String base = "http://localhost:" + httpPort;
        URI graphql = URI.create(base + "/graphql");
        URI ws = URI.create("ws://localhost:" + httpPort + "/graphql/ws");
        URI ingest = URI.create(base + "/v1/coherence/signals");
        URI health = URI.create(base + "/health/ready");
        URI workbench = URI.create(base + "/workbench/");
        // Generous: a busy 2-core machine took over 5 minutes; a Liberty that dies is noticed at once anyway.
        liberty.awaitOk(health, Duration.ofMinutes(10));

        TokenMinter minter = new TokenMinter(keys.privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        Path loaded = data.resolve(FIXTURES_LOADED);
        if (kept.isPresent() && Files.exists(loaded)) {
            System.out.println("[devstack] the fixtures are in the kept data already");
        } else {
            System.out.println("[devstack] loading fixtures: " + Fixtures.TENANTS.size() + " tenants x "
                    + Fixtures.SIGNALS_PER_TENANT + " signals ...");
            Fixtures.load(ingest, minter);
            if (kept.isPresent()) {
                Files.writeString(loaded, Instant.now() + "\n");
            }
        }
        String token = minter.mint("tenant-123", List.of("coherence:read", "coherence:write"), Duration.ofHours(12));
        String firstScore = awaitScore(graphql, token, Duration.ofSeconds(30));
        List<Replica> replicas = startReplicas(teardown, watchdog, wlp, serverDir, work, settings, httpPort);

        Path tokenFile = work.resolve("token.txt");
        Files.writeString(tokenFile, token);
        JsonObjectBuilder descriptor = Json.createObjectBuilder()
                .add("graphqlUrl", graphql.toString())
                .add("wsUrl", ws.toString())
                .add("ingestUrl", ingest.toString())
                .add("workbenchUrl", workbench.toString())
                .add("healthUrl", health.toString())
                .add("metricsUrl", base + "/metrics")
                .add("issuer", StackSettings.ISSUER)
                .add("audience", StackSettings.AUDIENCE)
                .add("signingKey", keys.privateKeyFile().toString())
                .add("publicKey", keys.publicKeyFile().toString())
                .add("auditKeysUrl", base + "/v1/coherence/audit/keys")
                .add("auditPublicKey", StackSettings.auditKeys(keys).publicKeyFile().toString())
                .add("tokenFile", tokenFile.toString())
                .add("tenants", Json.createArrayBuilder(Fixtures.TENANTS))
                .add("neo4jUri", engines.neo4jUri())
                .add("postgresJdbcUrl", engines.postgresJdbcUrl())
                .add("redisUrl", engines.redisUrl())
                .add("libertyLog", serverDir.resolve("logs/messages.log").toString());
        JsonArrayBuilder replicaList = Json.createArrayBuilder()
                .add(Replica.describe(serverName, "devstack-1", base, serverDir));
        replicas.forEach(r -> replicaList.add(Replica.describe(r.serverName(), r.replicaName(), r.base(), r.serverDir())));
        descriptor.add("replicas", replicaList);
        kept.ifPresent(d -> descriptor.add("dataDir", d.toString()));
        if (broker != null) {
            descriptor.add("kafkaBootstrap", broker.bootstrap());
        }
        Files.writeString(work.resolve("devstack.json"), pretty(descriptor.build()));

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        System.out.println("""

                ============================================================
                 Coherence is ready (%d s)
                   GraphQL : %s  (dev mode: any document runs; production is strict)
                   GraphiQL: %s/graphql-ui  (add the header {"Authorization": "Bearer <token>"})
                   Workbench: %s#token=%s
                   Live    : %s  (graphql-transport-ws subscriptions)
                   Ingest  : %s
                   Health  : %s
                   Metrics : %s/metrics
                   Stack   : %s%s%s
                   Data    : %s
                 tenant-123 now: %s
                 Token for tenant-123 (coherence:read coherence:write, 12 h), also in %s:

                %s

                 Try:
                   curl -s %s -H 'Content-Type: application/json' -H "Authorization: Bearer $(cat %s)" \\
                     -d '{"query":"{ tenantCoherence(tenantId: \\"tenant-123\\") { score status updatedAt } }"}'
                 Ctrl-C stops everything.
                ============================================================
                """.formatted(seconds, graphql, base, workbench, token, ws, ingest, health, base, work.resolve("devstack.json"),
                broker == null ? "" : "\n   Kafka   : " + broker.bootstrap() + "  (topics " + EmbeddedKafka.TOPIC + ", "
                        + EmbeddedKafka.DLQ + ")", Replica.lines(replicas), kept.map(Path::toString).orElse("throwaway (-Ddata=DIR keeps it)"),
                firstScore, tokenFile, token, graphql, tokenFile));
        int exit = liberty.waitFor();
        System.out.println("[devstack] Liberty exited with " + exit + "; see " + console);
        return exit == 0 ? 1 : exit;
    }

    /**
     * Replicas 2…N ({@code -Dreplicas=N} or {@code COHERENCE_DEV_REPLICAS}, default 1): copies of the
     * first server on ports {@code httpPort + 1}, … with their own replica name, on the same engines
     * (and broker), started after the first one is ready and has loaded the fixtures.
     */
    private static List<Replica> startReplicas(Teardown teardown, Watchdog watchdog, Path wlp, Path serverDir, Path work,
                                               Map<String, String> settings, int httpPort) throws Exception {
        int count = Integer.parseInt(setting("replicas", "COHERENCE_DEV_REPLICAS", "1"));
        if (count < 1 || count > Replica.MAX) {
            throw new IllegalArgumentException("-Dreplicas must be 1 to " + Replica.MAX + ", not " + count);
        }
        List<Replica> replicas = new java.util.ArrayList<>();
        for (int i = 2; i <= count; i++) {
            int port = httpPort + i - 1;
            Replica replica = Replica.prepare(wlp, serverDir, i, port);
            Map<String, String> own = new LinkedHashMap<>(settings);
            own.put("HTTP_PORT", Integer.toString(port));
            own.put("HTTPS_PORT", Integer.toString(EmbeddedEngines.freePort()));
            own.put("COHERENCE_REPLICA_NAME", replica.replicaName());
            LibertyOverrides.write(replica.serverDir(), own);
            System.out.println("[devstack] starting replica " + i + " (" + replica.serverName() + ") on port " + port + " ...");
            LibertyProcess process = teardown.add("Liberty " + replica.serverName(),
                    LibertyProcess.start(wlp, replica.serverName(), work.resolve("liberty-console-" + i + ".log")));
            watchdog.watch(process.pid(), "TERM");
            process.awaitOk(URI.create(replica.base() + "/health/ready"), Duration.ofMinutes(10));
            replicas.add(replica);
        }
        return replicas;
    }

    /** One launcher per Liberty server: a second one would share (and stop) the first one's server. */
    private static FileChannel lockOrFail(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            channel.close();
            throw new IllegalStateException("another dev stack runs this Liberty server (" + file + ")");
        }
        return channel;
    }

    /** Waits until the materializer has scored tenant-123 and returns the score as JSON. */
    private static String awaitScore(URI graphql, String token, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String query = "{\"query\":\"{ tenantCoherence(tenantId: \\\"tenant-123\\\") { score status updatedAt } }\"}";
        long deadline = System.nanoTime() + timeout.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(HttpRequest.newBuilder(graphql).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString(query)).build(), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"score\"") && !body.contains("UNKNOWN")) {
                return body;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("no score for tenant-123 within " + timeout + ": " + body);
    }

    private static String pretty(JsonObject json) {
        JsonWriterFactory writers = Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true));
        StringWriter out = new StringWriter();
        writers.createWriter(out).write(json);
        return out + "\n";
    }

    /** A system property, else an environment variable, else the fallback; blank counts as unset. */
    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
