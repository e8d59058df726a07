package io.coherence.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.PersistedDocuments;
import io.coherence.testsupport.StackSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The air-gapped server package (target/coherence-server.zip, built in the package phase) installed
 * the way docs/install.md says: unpacked, configured only through its server.env, started with
 * {@code wlp/bin/server run coherence} on this JDK, against the embedded engines. It must become
 * ready, take a signal, serve its score by persisted query, and behave as production does by
 * default (strict persisted queries). The package itself must hold only the features server.xml
 * uses and nothing from a developer's machine (no configDropins, no keys).
 */
class PackageIT {

    private static final String SERVER = "coherence";

    private static Path zip;
    private static Path wlp;
    private static Process server;
    private static Path consoleLog;
    private static CoherenceClient api;

    @BeforeAll
    static void installAndStart() throws Exception {
        zip = Path.of(System.getProperty("coherence.package", "target/coherence-server.zip"));
        assertThat(zip).as("the package built by mvn package").exists();
        Path install = Files.createDirectories(Path.of(System.getProperty("coherence.it.workDir", "target/it-stack")))
                .resolve("package-" + UUID.randomUUID());
        unzip(zip, install);
        wlp = install.resolve("wlp");
        Path serverDir = wlp.resolve("usr/servers").resolve(SERVER);

        EmbeddedEngines engines = EmbeddedEngines.shared();
        DevKeys keys = DevKeys.loadOrCreate(install.resolve("keys"));
        int port = EmbeddedEngines.freePort();
        // What an operator writes into server.env: one NAME=value per line, the token key as a file.
        Map<String, String> env = new LinkedHashMap<>(engines.environment());
        // A database of its own on the shared PostgreSQL: the packaged server is a second replica,
        // and a replica that claimed the persistent retention timer keeps its claim for
        // TIMER_MISSED_TASK_THRESHOLD (5 min) after it stops, which held off the test server's
        // first retention run until RetentionIT gave up waiting.
        env.put("POSTGRES_JDBC_URL", engines.postgresJdbcUrl("coherence_package_it"));
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", keys.publicKeyFile().toString());
        env.put("JWT_ISSUER", StackSettings.ISSUER);
        env.put("JWT_AUDIENCE", StackSettings.AUDIENCE);
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("HTTPS_PORT", Integer.toString(EmbeddedEngines.freePort()));
        env.put("COHERENCE_REPLICA_NAME", "package-it");
        StringBuilder serverEnv = new StringBuilder(Files.readString(serverDir.resolve("server.env")));
        env.forEach((name, value) -> serverEnv.append('\n').append(name).append('=').append(value));
        Files.writeString(serverDir.resolve("server.env"), serverEnv.append('\n'));

        consoleLog = install.resolve("console.log");
        ProcessBuilder run = new ProcessBuilder(wlp.resolve("bin/server").toString(), "run", SERVER)
                .redirectErrorStream(true).redirectOutput(consoleLog.toFile());
        run.environment().put("JAVA_HOME", System.getProperty("java.home"));
        server = run.start();
        api = CoherenceClient.forServer(URI.create("http://localhost:" + port), keys);
        Eventually.await("the packaged server is ready (" + consoleLog + ")", Duration.ofMinutes(3), () -> {
            assertThat(server.isAlive()).as("the packaged server is running; see " + consoleLog).isTrue();
            return ready();
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            // SIGTERM: Liberty stops in order, as the service manager of a single box would stop it.
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        // The unpacked runtime is 200 MB; its console log stays beside it for a failed run.
        if (wlp != null) {
            try (var files = Files.walk(wlp)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void theStartedPackageIngestsAndServesAScore() throws Exception {
        String tenant = "package-it-" + UUID.randomUUID().toString().substring(0, 8);
        String token = api.token(tenant, CoherenceClient.READ_WRITE);

        HttpResponse<String> ingest = api.ingest("[{\"tenantId\":\"" + tenant
                + "\",\"type\":\"latency\",\"value\":0.9,\"weight\":2,\"source\":\"package-it\",\"signalId\":\"s-1\",\"ts\":\""
                + Instant.now().minusSeconds(5) + "\"}]", token);
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(202);
        assertThat(ingest.body()).contains("\"accepted\":1");

        String read = "{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\""
                + PersistedDocuments.hash("pq_tenant_coherence_v1") + "\"}},\"variables\":{\"tenantId\":\"" + tenant + "\"}}";
        String[] answer = new String[1];
        Eventually.await("the score of the ingested signal", Duration.ofSeconds(30), () -> {
            answer[0] = api.postGraphqlBody(read, token).body();
            return answer[0].contains("\"score\":0.9");
        });
        assertThat(answer[0]).contains("\"status\":\"HEALTHY\"").doesNotContain("\"errors\"");
    }

    /** The package runs as production does: only registered documents, whatever the caller sends. */
    @Test
    void persistedQueriesAreStrictByDefault() {
        String token = api.token("package-it-strict", List.of("coherence:read"));

        HttpResponse<String> freeForm = api.postGraphqlBody(
                "{\"query\":\"{ tenantCoherence(tenantId:\\\"package-it-strict\\\"){ score } }\"}", token);

        assertThat(freeForm.body()).contains("PERSISTED_QUERY_REQUIRED").doesNotContain("\"score\"");
    }

    @Test
    void thePackageHoldsOnlyTheFeaturesServerXmlUses() throws IOException {
        List<String> packaged = featureManifests(wlp.resolve("lib/features"));
        List<String> full = featureManifests(Path.of(System.getProperty("coherence.it.wlpHome")).resolve("lib/features"));

        assertThat(packaged).contains("io.openliberty.mpGraphQL-2.0.mf", "io.openliberty.mpHealth-4.0.mf",
                "io.openliberty.enterpriseBeansPersistentTimer-4.0.mf");
        // Neither the optional Kafka feature nor anything the server does not use.
        assertThat(packaged).doesNotContain("io.openliberty.mpReactiveMessaging-3.0.mf", "io.openliberty.jakartaee-10.0.mf",
                "io.openliberty.faces-4.0.mf");
        assertThat(packaged.size()).isLessThan(full.size() / 2);
    }

    @Test
    void nothingFromADevelopersMachineIsPackaged() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            file.stream().map(ZipEntry::getName).forEach(names::add);
        }
        String serverDir = "wlp/usr/servers/" + SERVER + "/";

        assertThat(names).contains(serverDir + "server.xml", serverDir + "apps/coherence.war",
                serverDir + "jdbc/postgresql.jar", serverDir + "optional/kafka.xml");
        assertThat(names).noneMatch(n -> n.startsWith(serverDir + "configDropins/"))
                .noneMatch(n -> n.endsWith(".pem") || n.contains("/keys/") || n.endsWith(".p12"))
                .noneMatch(n -> n.startsWith(serverDir + "logs/"));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static List<String> featureManifests(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mf")).sorted().toList();
        }
    }

    /** Unpacks keeping wlp/bin's scripts executable (java.util.zip does not carry Unix modes). */
    private static void unzip(Path archive, Path target) throws IOException {
        try (ZipFile file = new ZipFile(archive.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("entry outside the package's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                try (InputStream in = file.getInputStream(entry)) {
                    Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                }
                if (entry.getName().startsWith("wlp/bin/") && !entry.getName().endsWith(".jar")
                        || entry.getName().endsWith(".sh")) {
                    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }

    /** Ready, and not refusing connections while it starts. */
    private static boolean ready() {
        try {
            return api.get("/health/ready").statusCode() == 200;
        } catch (UncheckedIOException notListeningYet) {
            return false;
        }
    }
}
