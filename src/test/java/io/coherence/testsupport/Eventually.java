package io.coherence.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline, instead of sleeping for a guessed time. */
public final class Eventually {

    private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private Eventually() {
    }

    /** Returns as soon as {@code condition} holds; fails the test when it still does not at the deadline. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }
}
