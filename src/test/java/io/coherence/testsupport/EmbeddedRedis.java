package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import redis.embedded.RedisServer;

/**
 * Redis 6.2 (codemonstur's binary) as a separate process on a free loopback port, working in
 * {@code dir} (its append-only file when the data is kept, {@code redis.pid}, {@code redis.log}).
 *
 * <p>Kept data: an append-only file synced once a second ({@code appendfsync everysec}). A write
 * normally reaches the file before Redis answers it and the disk within a second, so a crash (of
 * Redis or of the machine) can lose at most the last second or two of Redis writes. Redis holds the
 * score cache, rate buckets and pub/sub, which rebuild or refill by themselves, so an fsync per
 * write ({@code always}) would buy little.
 */
final class EmbeddedRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;
    private final Path pidFile;

    private EmbeddedRedis(RedisServer server, int port, Path pidFile) {
        this.server = server;
        this.port = port;
        this.pidFile = pidFile;
    }

    static Path pidFile(Path dir) {
        return dir.resolve("redis.pid");
    }

    static EmbeddedRedis start(Path dir, String host, EngineData mode) {
        EmbeddedEngines.createDirectories(dir);
        boolean kept = mode == EngineData.KEPT;
        int port = EmbeddedEngines.freePort();
        try {
            Consumer<String> log = lineAppender(dir.resolve("redis.log"));
            RedisServer server = RedisServer.newRedisServer()
                    .bind(host)
                    .port(port)
                    .setting("save \"\"")
                    .setting(kept ? "appendonly yes" : "appendonly no")
                    .settingIf(kept, "appendfsync everysec")
                    .setting("dir \"" + dir + "\"")
                    // Read by pid() and by the next start, which stops a Redis a killed run left behind.
                    .setting("pidfile \"" + pidFile(dir) + "\"")
                    .soutListener(log)
                    .serrListener(log)
                    .build();
            startRetryingBusyBinary(server);
            return new EmbeddedRedis(server, port, pidFile(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts Redis, again after a short pause when exec fails with ETXTBSY ("Text file busy"): the
     * binary was just extracted, and a process another thread forked at that moment (the engines
     * start in parallel) still holds the extraction's write handle until it execs. Seen once in CI.
     */
    private static void startRetryingBusyBinary(RedisServer server) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                server.start();
                return;
            } catch (IOException e) {
                if (attempt == 5 || !textFileBusy(e)) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100L * attempt));
            }
        }
    }

    private static boolean textFileBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("error=26")) {
                return true;
            }
        }
        return false;
    }

    /** Redis writes only a few lines, so opening the file per line is cheap and leaves no handle open. */
    private static Consumer<String> lineAppender(Path file) {
        return line -> {
            try {
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // A lost log line must not disturb the engine or the tests.
            }
        };
    }

    int port() {
        return port;
    }

    long pid() {
        try {
            return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM: Redis syncs its append-only file and exits. */
    @Override
    public void close() throws IOException {
        server.stop();
    }
}
