package io.coherence.replicas;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.LibertyOverrides;
import io.coherence.testsupport.TcpGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One replica of a {@link ReplicaSet}: a Liberty server of its own (its directory, HTTP port and
 * {@code COHERENCE_REPLICA_NAME}) run as a child process ({@code bin/server run}) on the shared
 * engines, reaching Redis through a {@link TcpGate} a test can cut. It can be killed the hard way
 * and started again on the same configuration; its console is appended to one file across starts.
 */
public final class ReplicaServer {

    /** Graceful stops wait this long (Liberty quiesces for up to 30 s) before the kill. */
    private static final long STOP_SECONDS = 40;
    /** The application did not start; features that do not resolve together (Liberty then starts without any). */
    private static final List<String> START_FAILURES = List.of("CWWKZ0002E", "CWWKF0033E");
    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    private final Path wlpHome;
    private final String serverName;
    private final String replicaName;
    private final Path serverDir;
    private final int httpPort;
    private final TcpGate redisGate;
    private final Map<String, String> settings;
    private final Path consoleLog;
    private final CoherenceClient api;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;

    ReplicaServer(Path wlpHome, String serverName, String replicaName, int httpPort, TcpGate redisGate,
                  Map<String, String> settings, DevKeys keys) {
        this.wlpHome = wlpHome;
        this.serverName = serverName;
        this.replicaName = replicaName;
        this.serverDir = wlpHome.resolve("usr/servers").resolve(serverName);
        this.httpPort = httpPort;
        this.redisGate = redisGate;
        this.settings = Map.copyOf(settings);
        this.consoleLog = serverDir.resolve("logs/launcher-console.log");
        this.api = CoherenceClient.forServer(base(), keys);
    }

    /** Its COHERENCE_REPLICA_NAME. */
    public String name() {
        return replicaName;
    }

    public String serverName() {
        return serverName;
    }

    public Path serverDir() {
        return serverDir;
    }

    /** Liberty's JSON log of this server. */
    public Path messagesLog() {
        return serverDir.resolve("logs/messages.log");
    }

    public URI base() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** HTTP, GraphQL and WebSocket calls on this replica, with tokens the replicas accept. */
    public CoherenceClient api() {
        return api;
    }

    /** The gate between this replica and Redis: cut it for an outage of Redis seen by this replica only. */
    public TcpGate redisGate() {
        return redisGate;
    }

    /** The settings it was started with (its configDropins/overrides/stack.xml). */
    public Map<String, String> settings() {
        return settings;
    }

    void writeSettings() {
        LibertyOverrides.write(serverDir, new LinkedHashMap<>(settings));
    }

    /** Starts with {@code --clean}, so nothing of an earlier run's cache is served. */
    synchronized void start() {
        if (isAlive()) {
            throw new IllegalStateException(replicaName + " is already running");
        }
        try {
            Files.createDirectories(consoleLog.getParent());
            process = new ProcessBuilder(wlpHome.resolve("bin/server").toString(), "run", serverName, "--clean")
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(consoleLog.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Polls /health/ready until it answers 200; fails when the process dies or the deadline passes. */
    void awaitReady(Duration timeout) {
        URI ready = base().resolve("/health/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Process p;
            synchronized (this) {
                p = process;
            }
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(replicaName + " exited" + (p == null ? "" : " with " + p.exitValue())
                        + "; see " + consoleLog + " and " + messagesLog());
            }
            String failed = startFailure();
            if (failed != null) {
                throw new IllegalStateException(replicaName + " failed to start (" + failed + "); see " + messagesLog());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new IllegalStateException(replicaName + " not ready within " + timeout + "; see " + messagesLog());
    }

    /**
     * The first message saying the application failed to start or the features did not resolve (the
     * server then runs, unready, for good), or null.
     */
    private String startFailure() {
        try {
            if (!Files.isRegularFile(messagesLog())) {
                return null;
            }
            for (String line : Files.readAllLines(messagesLog())) {
                for (String id : START_FAILURES) {
                    if (line.contains("\"" + id)) {
                        return id;
                    }
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * kill -9: SIGKILL to the server's JVM and everything under the launcher, then the launcher;
     * returns once they are gone. Its PostgreSQL and Redis connections die with it.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        descendants.forEach(p -> p.onExit().join());
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A graceful stop (SIGTERM: Liberty's quiesce), a kill when it takes too long. */
    synchronized void stop() {
        if (!isAlive()) {
            return;
        }
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /**
     * Sets server.xml variables as an operator would, in a configDropins file that sorts after
     * stack.xml; closing it deletes the file and the start settings apply again. Liberty notices
     * within a second or two: callers poll for the effect.
     */
    public AutoCloseable setVariables(String name, Map<String, String> variables) {
        Path file = serverDir.resolve("configDropins/overrides/zz-" + name + ".xml");
        StringBuilder xml = new StringBuilder("<server>\n");
        variables.forEach((k, v) -> xml.append("    <variable name=\"").append(k).append("\" value=\"").append(v)
                .append("\"/>\n"));
        xml.append("</server>\n");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return () -> Files.deleteIfExists(file);
    }

    /**
     * The value of one series on /metrics (the sum over the series whose labels contain every
     * given {@code label="value"} pair), 0 when it is not there.
     */
    public double metric(String name, String... labels) {
        String body = api.get("/metrics").body();
        double sum = 0;
        for (String line : body.split("\n")) {
            Matcher m = SERIES.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            String labelSet = m.group(2) == null ? "" : m.group(2);
            boolean all = true;
            for (String label : labels) {
                all &= labelSet.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }

    /**
     * For a failing test: the server's subscription counters and a thread dump of its JVM (jcmd),
     * in a file beside its logs; returns a line naming both.
     */
    public String diagnose(String why) {
        StringBuilder counters = new StringBuilder();
        try {
            for (String line : api.get("/metrics").body().split("\n")) {
                if (line.startsWith("subscription_") || line.startsWith("materializer_")) {
                    counters.append(line).append('\n');
                }
            }
        } catch (RuntimeException e) {
            counters.append("metrics unreadable: ").append(e).append('\n');
        }
        Path file = serverDir.resolve("logs/diagnosis-" + System.currentTimeMillis() + ".txt");
        String dump = threadDump();
        // The build's output keeps what matters when the file is gone with the CI machine.
        System.out.println("[diagnosis] " + why + "\n" + counters + coherenceThreads(dump));
        try {
            Files.writeString(file, why + "\n\n" + counters + "\n" + dump);
        } catch (IOException e) {
            return why + "; no diagnosis written: " + e;
        }
        return why + "; " + replicaName + "'s counters and threads: " + file;
    }

    /** jcmd Thread.print of the server's JVM (the launcher's java descendant); empty when it is not running. */
    private String threadDump() {
        Process p;
        synchronized (this) {
            p = process;
        }
        if (p == null) {
            return "";
        }
        StringBuilder dump = new StringBuilder();
        for (ProcessHandle h : Stream.concat(Stream.of(p.toHandle()), p.toHandle().descendants()).toList()) {
            if (!h.info().command().orElse("").endsWith("java")) {
                continue;
            }
            try {
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(h.pid()), "Thread.print").redirectErrorStream(true).start();
                dump.append(new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                jcmd.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                dump.append("jcmd failed: ").append(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return dump.toString();
    }

    /** The stacks of the application's own threads (named coherence-…, or running its code) in a jcmd thread dump. */
    private static String coherenceThreads(String dump) {
        StringBuilder out = new StringBuilder();
        for (String block : dump.split("\n\n")) {
            if (block.startsWith("\"coherence-") || block.contains("io.coherence.")) {
                out.append(block).append("\n\n");
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return replicaName + " (" + serverName + ", " + base() + ")";
    }
}
