package io.coherence.application.scoring;

/** A cluster-wide lock so only one replica materializes at a time. */
public interface MaterializerLock {

    /** Runs the task if no other replica holds the lock; returns whether it ran. */
    boolean runExclusively(Runnable task);
}
