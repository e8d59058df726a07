package io.coherence.application.events;

/** Where the dispatcher counts what it could not deliver in order, or at all. */
public interface FanoutCounts {

    void dropped(String reason, long count);

    void outOfOrder(long gaps, long late);

    /** Events a repair read back from the store, and bridge copies of them dropped afterwards. */
    default void repaired(long events, long duplicates) {
    }
}
