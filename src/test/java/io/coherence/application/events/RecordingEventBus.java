package io.coherence.application.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An event bus that keeps what was published, in order. */
public class RecordingEventBus implements EventBus {

    private final List<CoherenceEvent> published = new CopyOnWriteArrayList<>();

    @Override
    public void publish(List<? extends CoherenceEvent> events) {
        published.addAll(events);
    }

    public List<CoherenceEvent> published() {
        return List.copyOf(published);
    }
}
