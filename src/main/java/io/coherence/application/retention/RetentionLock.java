package io.coherence.application.retention;

import java.util.Optional;
import java.util.function.Function;

/**
 * A cluster-wide lock so only one replica prunes at a time, even when the timer fires on two. A
 * run can be long, so the holder renews its lease between steps; a holder that stops renewing
 * (hung, dead) loses the lock after the lease and another replica may take over.
 */
public interface RetentionLock {

    /** Runs the task if no other replica holds the lock and answers its result; empty when another does. */
    <T> Optional<T> runExclusively(Function<Lease, T> task);

    /** The held lock. */
    interface Lease {

        /** Extends the lease; throws {@link LockLost} when the lock was lost meanwhile. */
        void renew();
    }

    /** The lock was lost (the lease ran out, or its store failed): the run must stop. */
    final class LockLost extends IllegalStateException {

        private static final long serialVersionUID = 1L;

        public LockLost(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
