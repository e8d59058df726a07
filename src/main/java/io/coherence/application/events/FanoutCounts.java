package io.coherence.application.events;

/** Where the dispatcher counts what it could not deliver in order, or at all. */
public interface FanoutCounts {

    void dropped(String reason, long count);

    void outOfOrder(long gaps, long late);
}
