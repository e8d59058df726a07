package io.coherence.devstack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * What the dev stack started, stopped newest first, once, by the launcher's main thread: when
 * Liberty exits, when starting fails, and on Ctrl-C, SIGTERM or SIGHUP. The launcher runs inside
 * Maven's JVM (exec:java), so the signals are taken over from that JVM: its own handling would
 * run every shutdown hook at once (each library's, stopping PostgreSQL and Redis under a Liberty
 * still stopping) while exec:java closes the classloader they load classes from. A signal only
 * interrupts the main thread, which then stops everything in order and exits the JVM itself.
 */
final class Teardown {

    private final Deque<Part> parts = new ArrayDeque<>();
    private final Thread main;
    private volatile String stopReason;
    private volatile int stopStatus;

    private record Part(String name, AutoCloseable part) {
    }

    private Teardown(Thread main) {
        this.main = main;
    }

    /** For the calling (main) thread: takes over Ctrl-C, SIGTERM and SIGHUP. */
    static Teardown forCurrentThread() {
        Teardown teardown = new Teardown(Thread.currentThread());
        teardown.onSignal("INT", "Ctrl-C", 130);
        teardown.onSignal("TERM", "SIGTERM", 143);
        teardown.onSignal("HUP", "SIGHUP", 129);
        return teardown;
    }

    private void onSignal(String signal, String reason, int status) {
        Signal.handle(new Signal(signal), s -> requestStop(reason, status));
    }

    /** The first request wins; the main thread is interrupted out of whatever it waits for. */
    synchronized void requestStop(String reason, int status) {
        if (stopReason == null) {
            stopReason = reason;
            stopStatus = status;
            main.interrupt();
        }
    }

    boolean stopRequested() {
        return stopReason != null;
    }

    String stopReason() {
        return stopReason;
    }

    int stopStatus() {
        return stopStatus;
    }

    /** Registers a started part, stopped before the parts registered earlier. */
    synchronized <T extends AutoCloseable> T add(String name, T part) {
        parts.push(new Part(name, part));
        return part;
    }

    /** Stops every part, newest first, reporting each; a part that fails to stop does not stop the rest. */
    void stopAll() {
        // The stop request's interrupt must not cut the parts' own waits short.
        Thread.interrupted();
        long started = System.nanoTime();
        Part part;
        while ((part = next()) != null) {
            if (!part.name().isEmpty()) {
                System.out.println("[devstack] stopping " + part.name() + " ...");
            }
            try {
                part.part().close();
            } catch (Exception e) {
                System.out.println("[devstack] stopping " + part.name() + " failed: " + e);
            }
        }
        System.out.println("[devstack] stopped in " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");
    }

    private synchronized Part next() {
        return parts.poll();
    }
}
