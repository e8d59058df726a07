package io.coherence.devstack;

import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.EmbeddedKafka;
import io.coherence.testsupport.LibertyOverrides;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TokenMinter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonWriterFactory;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The first README command ({@code mvn -Pdev}): starts PostgreSQL, Neo4j and Redis in-process,
 * starts Liberty against them, loads the fixtures through the ingest endpoint, waits for the first
 * score, writes {@code target/devstack/devstack.json} and prints the URLs and a token. Ctrl-C
 * stops Liberty, then the engines. Data lives only as long as the stack.
 */
public final class DevStack {

    private DevStack() {
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Path work = Path.of(System.getProperty("coherence.workDir", "target/devstack")).toAbsolutePath();
        Path wlp = Path.of(System.getProperty("coherence.wlpHome", "target/liberty/wlp"));
        String serverName = System.getProperty("coherence.serverName", "coherence");
        int httpPort = Integer.parseInt(System.getProperty("http.port", env("COHERENCE_DEV_HTTP_PORT", "9080")));
        int httpsPort = EmbeddedEngines.freePort();
        Files.createDirectories(work);

        DevKeys keys = DevKeys.loadOrCreate(work.resolve("keys"));
        System.out.println("[devstack] starting PostgreSQL, Neo4j and Redis ...");
        EmbeddedEngines engines = EmbeddedEngines.start(work.resolve("engines"));
        // Kafka is optional (off by default): -Dkafka=true or COHERENCE_DEV_KAFKA=true starts a broker too.
        EmbeddedKafka kafka = null;
        if (Boolean.parseBoolean(System.getProperty("kafka", env("COHERENCE_DEV_KAFKA", "false")))) {
            System.out.println("[devstack] starting Kafka (KRaft, one broker) ...");
            kafka = EmbeddedKafka.start(work.resolve("engines/kafka"), 3);
        }
        EmbeddedKafka broker = kafka;
        Path serverDir = wlp.resolve("usr/servers").resolve(serverName);
        Map<String, String> settings = new LinkedHashMap<>(StackSettings.of(engines, keys, httpPort, httpsPort));
        // A switch left behind by a killed run with Kafka would fail this one without a broker.
        Files.deleteIfExists(serverDir.resolve("configDropins/overrides/kafka.xml"));
        Path kafkaSwitch = broker == null ? null : StackSettings.enableKafka(serverDir, Path.of(""), settings, broker);
        Path overrides = LibertyOverrides.write(serverDir, settings);

        System.out.println("[devstack] starting Open Liberty on port " + httpPort + " ...");
        Path console = work.resolve("liberty-console.log");
        LibertyProcess liberty = LibertyProcess.start(wlp, serverName, console);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("[devstack] stopping Liberty and the engines ...");
            liberty.close();
            if (broker != null) {
                broker.close();
            }
            engines.close();
            // Without the embedded engines these settings are wrong; a later liberty:run must not inherit them.
            overrides.toFile().delete();
            if (kafkaSwitch != null) {
                kafkaSwitch.toFile().delete();
            }
        }, "devstack-shutdown"));

        String base = "http://localhost:" + httpPort;
        URI graphql = URI.create(base + "/graphql");
        URI ws = URI.create("ws://localhost:" + httpPort + "/graphql/ws");
        URI ingest = URI.create(base + "/v1/coherence/signals");
        URI health = URI.create(base + "/health/ready");
        liberty.awaitOk(health, Duration.ofMinutes(3));

        TokenMinter minter = new TokenMinter(keys.privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        System.out.println("[devstack] loading fixtures: " + Fixtures.TENANTS.size() + " tenants x "
                + Fixtures.SIGNALS_PER_TENANT + " signals ...");
        Fixtures.load(ingest, minter);
        String token = minter.mint("tenant-123", List.of("coherence:read", "coherence:write"), Duration.ofHours(12));
        String firstScore = awaitScore(graphql, token, Duration.ofSeconds(30));

        Path tokenFile = work.resolve("token.txt");
        Files.writeString(tokenFile, token);
        JsonObjectBuilder descriptor = Json.createObjectBuilder()
                .add("graphqlUrl", graphql.toString())
                .add("wsUrl", ws.toString())
                .add("ingestUrl", ingest.toString())
                .add("healthUrl", health.toString())
                .add("metricsUrl", base + "/metrics")
                .add("issuer", StackSettings.ISSUER)
                .add("audience", StackSettings.AUDIENCE)
                .add("signingKey", keys.privateKeyFile().toString())
                .add("publicKey", keys.publicKeyFile().toString())
                .add("tokenFile", tokenFile.toString())
                .add("tenants", Json.createArrayBuilder(Fixtures.TENANTS))
                .add("neo4jUri", engines.neo4jUri())
                .add("postgresJdbcUrl", engines.postgresJdbcUrl())
                .add("redisUrl", engines.redisUrl())
                .add("libertyLog", serverDir.resolve("logs/messages.log").toString());
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
                   Live    : %s  (graphql-transport-ws subscriptions)
                   Ingest  : %s
                   Health  : %s
                   Metrics : %s/metrics
                   Stack   : %s%s
                 tenant-123 now: %s
                 Token for tenant-123 (coherence:read coherence:write, 12 h), also in %s:

                %s

                 Try:
                   curl -s %s -H 'Content-Type: application/json' -H "Authorization: Bearer $(cat %s)" \\
                     -d '{"query":"{ tenantCoherence(tenantId: \\"tenant-123\\") { score status updatedAt } }"}'
                 Ctrl-C stops everything.
                ============================================================
                """.formatted(seconds, graphql, base, ws, ingest, health, base, work.resolve("devstack.json"),
                broker == null ? "" : "\n   Kafka   : " + broker.bootstrap() + "  (topics " + EmbeddedKafka.TOPIC + ", "
                        + EmbeddedKafka.DLQ + ")", firstScore,
                tokenFile, token, graphql, tokenFile));
        int exit = liberty.waitFor();
        System.out.println("[devstack] Liberty exited with " + exit + "; see " + console);
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

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
