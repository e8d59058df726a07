package io.coherence.faults;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code bash perf/faults.sh}: starts the embedded engines, a Kafka broker and Liberty (through TCP
 * gates), then runs each fault of issue 13 under load and prints a Jepsen-style account of the
 * writes clients attempted (acknowledged, lost, duplicated, indeterminate) with the time the
 * service took to recover. Writes summary.json; exits 1 when anything acknowledged was lost or
 * anything was stored or counted twice, 2 on a usage or set-up error, 3 when the time budget ran out.
 */
public final class FaultSuite {

    /** neo4j-migrations reports each migration it skips (the service applied them); held so the level sticks. */
    private static final Logger MIGRATIONS_LOG = Logger.getLogger("ac.simons.neo4j.migrations");

    private FaultSuite() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            System.err.println("[faults] the suite could not run: " + e);
            e.printStackTrace();
            exit(2);
        }
    }

    private static void run(String[] args) throws Exception {
        SuiteSettings settings;
        try {
            settings = SuiteSettings.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println(e.getMessage());
            }
            System.err.print(SuiteSettings.USAGE);
            exit(2);
            return;
        }
        PrintStream out = System.out;
        Path wlp = Path.of(System.getProperty("coherence.wlpHome", "target/liberty/wlp"));
        String serverName = System.getProperty("coherence.serverName", "coherence-faults");
        Path work = Path.of(System.getProperty("coherence.workDir", "target/faults")).toAbsolutePath();
        Path project = Path.of(System.getProperty("coherence.projectDir", "."));
        String commandLine = "perf/faults.sh " + String.join(" ", args).trim();

        MIGRATIONS_LOG.setLevel(Level.WARNING);
        long started = System.nanoTime();
        out.println("[faults] starting PostgreSQL, Neo4j, Redis, Kafka and the gates ...");
        FaultStack stack = FaultStack.start(work.resolve("stack"), wlp, serverName, project);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "faults-shutdown"));
        watchdog(settings.budget(), stack);
        out.println("[faults] starting Open Liberty (" + stack.base() + ") ...");
        stack.startLiberty(settings.libertyStart());
        out.printf("[faults] stack ready after %.0f s%n", (System.nanoTime() - started) / 1e9);

        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        FaultRun run = new FaultRun(stack, settings, runId, out);
        run.warmUp(settings.warmUp());
        List<FaultResult> results = new ArrayList<>();
        for (Fault fault : settings.faults()) {
            // Each fault starts from a server that answers ready, whatever the previous one left.
            stack.startLibertyIfDown(settings.libertyStart());
            stack.awaitReady(Duration.ofSeconds(60));
            FaultResult result = run.run(fault);
            results.add(result);
            Report.block(out, result);
        }
        Report.table(out, results);
        Path summary = settings.out().resolve("summary.json").toAbsolutePath();
        Report.writeJson(summary, results, commandLine);
        out.printf("%n[faults] %s; %.0f s in all; summary in %s%n",
                settings.faults().size() + " faults", (System.nanoTime() - started) / 1e9, summary);
        List<String> failed = new ArrayList<>();
        for (FaultResult r : results) {
            r.failures().forEach(f -> failed.add("fault " + r.fault().number + ": " + f));
        }
        if (failed.isEmpty()) {
            out.println("[faults] PASSED: nothing acknowledged was lost, nothing stored or counted twice");
        } else {
            failed.forEach(f -> out.println("[faults] FAILED " + f));
        }
        out.flush();
        exit(failed.isEmpty() ? 0 : 1);
    }

    /**
     * Exits, leaving the code in {@code <workDir>/exit-code} for perf/faults.sh: Maven's own exit
     * code says only whether the build failed.
     */
    static void exit(int code) {
        try {
            Path work = Path.of(System.getProperty("coherence.workDir", "target/faults"));
            Files.createDirectories(work);
            Files.writeString(work.resolve("exit-code"), code + "\n");
        } catch (IOException e) {
            System.err.println("[faults] could not record the exit code: " + e);
        }
        System.out.flush();
        // System.exit runs the shutdown hook that stops Liberty and the engines (separate processes, some).
        System.exit(code);
    }

    /** Stops everything when the run overstays its budget, so the suite always ends by itself. */
    private static void watchdog(Duration budget, FaultStack stack) {
        Thread t = new Thread(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(budget.toNanos());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("[faults] time budget of " + budget.toSeconds() + " s exceeded; stopping");
            stack.killLiberty();
            exit(3);
        }, "faults-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
