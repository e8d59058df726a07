package io.coherence.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An Open Liberty server run as a child process ({@code bin/server run}, which execs the server's
 * JVM, so the child is Liberty itself), its console in a file.
 */
public final class LibertyProcess implements AutoCloseable {

    /** Liberty waits up to 30 s for work in flight to finish; a stop should not take longer than this. */
    private static final long STOP_SECONDS = 20;

    private final Process process;

    private LibertyProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts with {@code --clean}: a workarea cache from before a code change (the WAR in apps/ is
     * rebuilt by each mvn -Pdev) can leave its JAX-RS resources unregistered (404s).
     */
    public static LibertyProcess start(Path wlpHome, String serverName, Path consoleLog) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(wlpHome.resolve("bin/server").toString(), "run", serverName, "--clean")
                .redirectErrorStream(true)
                .redirectOutput(consoleLog.toFile());
        return new LibertyProcess(builder.start());
    }

    /**
     * Stops a Liberty of this server that a killed launcher left running (SIGTERM, then KILL after
     * 20 s); returns whether there was one. Run before the settings are written: a running server
     * reads its configuration dropins again and would take the new stack's settings as its own.
     */
    public static boolean stopLeftover(Path wlpHome, String serverName) {
        String serverJar = wlpHome.toAbsolutePath().normalize().resolve("bin/tools/ws-server.jar").toString();
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses()
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .filter(p -> p.info().arguments().map(Arrays::asList)
                        .filter(args -> args.contains(serverJar) && args.contains(serverName)).isPresent())
                .toList();
        for (ProcessHandle leftover : leftovers) {
            System.out.println("[devstack] stopping Liberty (pid " + leftover.pid() + ") left running by an earlier run");
            leftover.destroy();
            try {
                leftover.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                leftover.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                leftover.destroyForcibly();
            }
        }
        return !leftovers.isEmpty();
    }

    /** Polls the URL until it answers 200, the process dies, or the deadline passes. */
    public void awaitOk(URI url, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Liberty exited with " + process.exitValue());
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException(url + " not ready within " + timeout);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** SIGTERM (Liberty's own orderly stop), then KILL if it takes longer than 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
