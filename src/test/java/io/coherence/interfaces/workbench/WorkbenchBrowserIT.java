package io.coherence.interfaces.workbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The workbench in headless Chromium against the test server: src/main/frontend/test/workbench.test.mjs
 * (Node and playwright-core) drives the page for a fresh tenant and writes target/workbench-test/
 * report.json and screenshots. Without Node, the built page or Chromium the test is skipped, naming
 * what is missing; under CI (env CI set) it fails instead, so a CI machine cannot pass without it.
 */
@TestServerIT
class WorkbenchBrowserIT {

    private static final Path PROJECT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path FRONTEND = PROJECT.resolve("src/main/frontend");
    private static final Path SCRIPT = FRONTEND.resolve("test/workbench.test.mjs");
    private static final Path OUT = PROJECT.resolve("target/workbench-test");
    private static final Duration RUN_WITHIN = Duration.ofMinutes(3);
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(20);

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Test
    void theWorkbenchShowsATenantLiveAndTalksToThisServerOnly() throws Exception {
        String chromium = System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");
        requireTools(chromium);
        String tenant = "it-workbench-" + UUID.randomUUID();
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        seed(tenant, token);

        ProcessBuilder node = new ProcessBuilder("node", SCRIPT.toString()).directory(FRONTEND.toFile())
                .redirectErrorStream(true);
        node.environment().putAll(Map.of("WORKBENCH_URL", api.uri("/workbench/").toString(), "TOKEN", token,
                "TENANT", tenant, "OUT", OUT.toString(), "CHROMIUM", chromium));
        int exit = run(node);

        assertThat(exit).as("workbench.test.mjs exit code (its output is above)").isZero();
        JsonObject report = CoherenceClient.json(Files.readString(OUT.resolve("report.json")));
        assertThat(report.getBoolean("ok")).isTrue();
        assertThat(report.getJsonObject("requests").getJsonArray("foreign")).as("requests to other hosts").isEmpty();
        assertThat(report.getJsonArray("consoleErrors")).isEmpty();
        assertThat(report.getJsonArray("cspViolations")).isEmpty();
        assertThat(report.getBoolean("editorSentHashOnly")).isTrue();
        assertThat(report.getJsonObject("event").getString("signalId")).startsWith("workbench-");
        assertThat(report.getJsonNumber("loadTimeMs").longValue()).isPositive();
        assertThat(OUT.resolve("workbench-live.png")).isRegularFile();
        assertThat(OUT.resolve("workbench-editor.png")).isRegularFile();
    }

    /** A few signals over the last hours, scored before the page opens, so it shows a real score. */
    private void seed(String tenant, String token) throws InterruptedException {
        List<String> signals = new ArrayList<>();
        double[] values = {0.9, 0.8, 0.85, 0.7, 0.95};
        for (int i = 0; i < values.length; i++) {
            signals.add("{\"tenantId\":\"%s\",\"type\":\"seed\",\"value\":%s,\"source\":\"workbench-it\",\"ts\":\"%s\"}"
                    .formatted(tenant, values[i], Instant.now().minus(Duration.ofMinutes(30L * (i + 1)))));
        }
        assertThat(api.ingest("[" + String.join(",", signals) + "]", token).statusCode()).isEqualTo(202);
        JsonObject scored = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                r -> !"UNKNOWN".equals(r.getJsonObject("data").getJsonObject("tenantCoherence").getString("status")),
                VISIBLE_WITHIN);
        assertThat(scored.getJsonObject("data").getJsonObject("tenantCoherence").getString("status")).isEqualTo("HEALTHY");
    }

    /** Runs the script, its output streamed into the build's; a run past the deadline is stopped. */
    private static int run(ProcessBuilder builder) throws IOException, InterruptedException {
        Process process = builder.start();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                lines.lines().forEach(System.out::println);
            } catch (IOException e) {
                System.out.println("[workbench test] output lost: " + e.getMessage());
            }
        }, "workbench-test-output");
        pump.setDaemon(true);
        pump.start();
        if (!process.waitFor(RUN_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("workbench.test.mjs did not finish within " + RUN_WITHIN);
        }
        pump.join(Duration.ofSeconds(5).toMillis());
        return process.exitValue();
    }

    /** What the browser test needs on this machine; missing parts skip it here and fail it under CI. */
    private static void requireTools(String chromium) {
        List<String> missing = new ArrayList<>();
        if (!onPath("node")) {
            missing.add("Node.js 20 (node on PATH)");
        }
        if (!Files.isDirectory(FRONTEND.resolve("node_modules/playwright-core"))) {
            missing.add("the front end's packages (npm ci in src/main/frontend; the build does it when npm is on PATH)");
        }
        if (!Files.isRegularFile(PROJECT.resolve("target/workbench/workbench/main.js"))) {
            missing.add("the built workbench page (npm on PATH when Maven builds, without -Dworkbench.skip=true)");
        }
        if (!Files.isExecutable(Path.of(chromium))) {
            missing.add("Chromium at " + chromium + " (Debian: apt-get install chromium; or set CHROMIUM)");
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "the workbench browser test needs: " + String.join("; ", missing);
        if (System.getenv("CI") != null) {
            fail(message + ". Install them on the CI machine.");
        }
        Assumptions.abort(message);
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
