package io.coherence.faults;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The Liberty server as a child process ({@code bin/server run}), which the suite can kill the
 * hard way and start again on the same configuration and engines. Its console is appended to
 * one file across restarts.
 */
final class LibertyServer implements AutoCloseable {

    private final Path wlpHome;
    private final String serverName;
    private final Path consoleLog;
    private Process process;

    LibertyServer(Path wlpHome, String serverName, Path consoleLog) {
        this.wlpHome = wlpHome;
        this.serverName = serverName;
        this.consoleLog = consoleLog;
    }

    /** Starts with {@code --clean}, as the dev stack does, so a rebuilt WAR is never served from a stale cache. */
    synchronized void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Liberty is already running");
        }
        process = new ProcessBuilder(wlpHome.resolve("bin/server").toString(), "run", serverName, "--clean")
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(consoleLog.toFile()))
                .start();
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Polls the URL until it answers 200; fails when the process dies or the deadline passes. */
    void awaitOk(URI url, Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Liberty exited with " + process.exitValue() + "; see " + consoleLog);
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
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
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
        throw new IllegalStateException(url + " not ready within " + timeout + "; see " + consoleLog);
    }

    /**
     * kill -9: SIGKILL to the server's JVM and everything under the launcher (the launch script may
     * run the JVM as its child), then the launcher; returns once they are gone.
     */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        for (ProcessHandle p : descendants) {
            p.onExit().join();
        }
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A graceful stop (SIGTERM, Liberty's quiesce), forced after a minute. */
    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = process.toHandle().descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
