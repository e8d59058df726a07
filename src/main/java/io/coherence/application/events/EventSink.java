package io.coherence.application.events;

/** One live subscription's receiving end. Both methods must return at once, never block. */
public interface EventSink {

    void accept(CoherenceEvent event);

    /** {@code count} events of this tenant were not delivered, for {@code reason} (an error code). */
    void missed(long count, String reason);
}
