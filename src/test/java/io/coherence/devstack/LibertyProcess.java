package io.coherence.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** An Open Liberty server run as a child process ({@code bin/server run}), its console in a file. */
final class LibertyProcess implements AutoCloseable {

    private final Process process;

    private LibertyProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts with {@code --clean}: a workarea cache from before a code change (the WAR in apps/ is
     * rebuilt by each mvn -Pdev) can leave its JAX-RS resources unregistered (404s).
     */
    static LibertyProcess start(Path wlpHome, String serverName, Path consoleLog) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(wlpHome.resolve("bin/server").toString(), "run", serverName, "--clean")
                .redirectErrorStream(true)
                .redirectOutput(consoleLog.toFile());
        return new LibertyProcess(builder.start());
    }

    /** Polls the URL until it answers 200, the process dies, or the deadline passes. */
    void awaitOk(URI url, Duration timeout) throws InterruptedException {
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

    boolean isAlive() {
        return process.isAlive();
    }

    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
