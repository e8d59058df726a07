package io.coherence.application.events;

/** What a subscription listens to. */
public enum EventKind {
    SIGNALS(SignalCommitted.class),
    SCORES(ScoreChanged.class);

    private final Class<? extends CoherenceEvent> type;

    EventKind(Class<? extends CoherenceEvent> type) {
        this.type = type;
    }

    boolean matches(CoherenceEvent event) {
        return type.isInstance(event);
    }
}
