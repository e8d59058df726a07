package io.coherence.application;

/** A store the service depends on, as readiness sees it. */
public interface StoreProbe {

    String name();

    /** "UP", "DOWN" or "DISABLED"; never throws. */
    String state();

    /** Whether the service is unready while this store is down. */
    default boolean requiredForReadiness() {
        return true;
    }
}
