package io.coherence.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An engine process that an earlier run left behind (its launcher was killed with -9, so nobody
 * stopped it) and that still holds a data directory: found through the pid file the engine keeps
 * there, and stopped before a new engine opens the same directory. Two engines on one directory
 * would corrupt it; a PostgreSQL that finds a live pid in postmaster.pid refuses to start.
 */
public final class LeftoverProcess {

    private static final Duration GRACE = Duration.ofSeconds(20);

    private LeftoverProcess() {
    }

    /**
     * The live process whose pid is on the first line of {@code pidFile} and whose executable's
     * name contains {@code executable}; empty when there is no such file or process (a pid the
     * system gave since to another program does not count).
     */
    public static Optional<ProcessHandle> find(Path pidFile, String executable) {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        if (pid <= 0 || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().contains(executable))
                        .orElse(false));
    }

    /**
     * Stops a leftover named in {@code pidFile}, if any: sends {@code signal} (the engine's own clean
     * shutdown: INT for PostgreSQL's fast shutdown, TERM for Redis), waits, then kills it.
     * Returns whether there was one.
     */
    public static boolean stop(Path pidFile, String executable, String signal, String engine) {
        Optional<ProcessHandle> leftover = find(pidFile, executable);
        if (leftover.isEmpty()) {
            return false;
        }
        ProcessHandle process = leftover.get();
        System.out.println("[engines] stopping " + engine + " (pid " + process.pid() + ") left running on "
                + pidFile.getParent() + " by an earlier run");
        signal(process.pid(), signal);
        if (!awaitExit(process, GRACE)) {
            process.destroyForcibly();
            awaitExit(process, GRACE);
        }
        return true;
    }

    /** Sends a signal by name (INT, TERM, KILL) with kill(1): Java itself only sends TERM and KILL. */
    public static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
