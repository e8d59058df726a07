package io.coherence.application.events;

import java.util.List;

/**
 * Carries committed events to the subscribers of every replica: this node's dispatcher directly,
 * the other replicas' through the bridge (Redis pub/sub). Never blocks on a subscriber.
 */
public interface EventBus {

    /** Publishes events in the order given; call it only after they were committed. */
    void publish(List<? extends CoherenceEvent> events);
}
