package io.coherence.testsupport;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Waits for a condition by polling it until a deadline, instead of sleeping for a guessed time. */
public final class Eventually {

    /** The first pause: a condition that holds almost at once costs almost nothing. */
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The longest pause. Pauses double up to it, so a long wait does not poll the server (often
     * a whole /metrics page) hundreds of times a second on the two cores it shares with the test.
     */
    private static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Eventually() {
    }

    /** Returns as soon as {@code condition} holds; fails the test when it still does not at the deadline. */
    public static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what);
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_NANOS);
        }
    }
}
