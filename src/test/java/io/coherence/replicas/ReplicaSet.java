package io.coherence.replicas;

import io.coherence.devstack.LibertyProcess;
import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.ServerDirectories;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TcpGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Several Liberty servers of the built WAR on the shared embedded engines, as a deployment runs
 * replicas: each a copy of the integration-test server's directory ({@code <server>-r<X>}, without
 * its logs, work area, transaction log and drop-ins), with the WAR in {@code apps/} as the
 * production configuration declares it, its own HTTP port and {@code COHERENCE_REPLICA_NAME}, and
 * Redis behind a gate of its own. Started in parallel; stopped gracefully by {@link #close()}, or
 * killed by a shutdown hook if the test JVM ends first.
 */
public final class ReplicaSet implements AutoCloseable {

    /** A busy 2-core machine took minutes to start a Liberty; one that dies is noticed at once anyway. */
    static final Duration START_TIMEOUT = Duration.ofMinutes(5);

    private static final Set<String> NOT_COPIED = Set.of("logs", "workarea", "tranlog", "configDropins", "apps",
            "dropins", "expanded");

    private final List<ReplicaServer> replicas;
    private final Thread killer;
    private Duration startTime = Duration.ZERO;

    private ReplicaSet(List<ReplicaServer> replicas) {
        this.replicas = List.copyOf(replicas);
        this.killer = new Thread(() -> this.replicas.forEach(ReplicaServer::kill), "replica-set-killer");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /**
     * Starts one replica per name ({@code A}, {@code B}, …) with the stack's settings plus
     * {@code extra} (the same for all), and waits until every one is ready.
     */
    public static ReplicaSet start(Map<String, String> extra, String... names) {
        Path wlp = Path.of(required("coherence.it.wlpHome"));
        String testServer = required("coherence.it.serverName");
        Path template = wlp.resolve("usr/servers").resolve(testServer);
        Path war = Path.of(required("coherence.war"));
        Path project = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        EmbeddedEngines engines = EmbeddedEngines.shared();
        DevKeys keys = DevKeys.loadOrCreate(Path.of(required("coherence.it.workDir")).resolve("keys"));
        URI redis = URI.create(engines.redisUrl());

        List<ReplicaServer> replicas = new ArrayList<>();
        for (String name : names) {
            String serverName = testServer + "-r" + name;
            // A launcher killed in an earlier run leaves its Liberty running on these settings.
            LibertyProcess.stopLeftover(wlp, serverName);
            Path dir = ServerDirectories.copy(template, wlp.resolve("usr/servers").resolve(serverName), NOT_COPIED);
            try {
                Files.createDirectories(dir.resolve("apps"));
                Files.copy(war, dir.resolve("apps/coherence.war"), StandardCopyOption.REPLACE_EXISTING);
                // The test server's copy is emptied for Arquillian; a replica serves the WAR as production does.
                Files.copy(project.resolve("liberty-config/includes/application.xml"), dir.resolve("includes/application.xml"),
                        StandardCopyOption.REPLACE_EXISTING);
                Files.writeString(dir.resolve("jvm.options"), jvmOptions());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int[] ports = EmbeddedEngines.freePorts(2);
            int httpPort = ports[0];
            TcpGate gate = TcpGate.to(redis.getHost(), redis.getPort());
            Map<String, String> settings = new LinkedHashMap<>(
                    StackSettings.of(engines, keys, httpPort, ports[1]));
            settings.put("REDIS_URL", "redis://127.0.0.1:" + gate.port());
            // Named in pg_stat_activity, so a test can tell which replica holds a lock.
            settings.put("POSTGRES_JDBC_URL", engines.postgresJdbcUrl() + "?ApplicationName=replica-" + name);
            settings.put("COHERENCE_REPLICA_NAME", "replica-" + name);
            settings.putAll(LibertyStackListener.POSTGRES_TIMEOUTS);
            settings.put("COHERENCE_CONSOLE_LOG_LEVEL", "WARNING");
            settings.put("COHERENCE_PERSISTED_QUERIES_FILE", LibertyStackListener.resourcePath(LibertyStackListener.RETIRING_QUERIES));
            settings.putAll(extra);
            replicas.add(new ReplicaServer(wlp, serverName, "replica-" + name, httpPort, gate, settings, keys));
        }
        ReplicaSet set = new ReplicaSet(replicas);
        long started = System.nanoTime();
        try {
            replicas.forEach(r -> {
                r.writeSettings();
                r.start();
            });
            awaitAll(replicas);
        } catch (RuntimeException e) {
            set.close();
            throw e;
        }
        set.startTime = Duration.ofNanos(System.nanoTime() - started);
        return set;
    }

    /** From launching the servers until every one answered ready. */
    public Duration startTime() {
        return startTime;
    }

    public List<ReplicaServer> all() {
        return replicas;
    }

    /** The replica named {@code A}, {@code B}, … at start. */
    public ReplicaServer get(String name) {
        return replicas.stream().filter(r -> r.name().equals("replica-" + name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no replica " + name));
    }

    /** Starts again the replicas that are not running (killed by a test), and waits until they are ready. */
    public void restartStopped() {
        List<ReplicaServer> stopped = replicas.stream().filter(r -> !r.isAlive()).toList();
        stopped.forEach(ReplicaServer::start);
        awaitAll(stopped);
    }

    /** Restarts one replica after a kill or a stop and waits until it is ready. */
    public void restart(ReplicaServer replica) {
        replica.start();
        replica.awaitReady(START_TIMEOUT);
    }

    private static void awaitAll(List<ReplicaServer> replicas) {
        List<CompletableFuture<Void>> ready = replicas.stream()
                .map(r -> CompletableFuture.runAsync(() -> r.awaitReady(START_TIMEOUT), ReplicaSet::daemon)).toList();
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** Graceful stops in parallel, then the gates close. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stops = replicas.stream()
                .map(r -> CompletableFuture.runAsync(r::stop, ReplicaSet::daemon)).toList();
        stops.forEach(f -> {
            try {
                f.join();
            } catch (CompletionException e) {
                // one that could not be stopped is killed below
            }
        });
        replicas.forEach(ReplicaServer::kill);
        replicas.forEach(r -> r.redisGate().close());
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already
        }
    }

    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "replica-set");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Two servers start at once on two cores: the quick compiler only and one GC thread start them
     * sooner, and these tests measure no throughput. The server's code exercised here counts
     * towards the integration tests' coverage too.
     */
    private static String jvmOptions() {
        StringBuilder options = new StringBuilder("-XX:TieredStopAtLevel=1\n-XX:+UseSerialGC\n");
        String coverage = System.getProperty("coherence.it.coverageAgent", "");
        if (coverage.startsWith("-javaagent:")) {
            options.append(coverage).append('\n');
        }
        return options.toString();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return value;
    }
}
