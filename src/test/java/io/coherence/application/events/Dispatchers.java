package io.coherence.application.events;

/** Stops a dispatcher's ticker from tests outside this package (CDI calls it on shutdown). */
public final class Dispatchers {

    private Dispatchers() {
    }

    public static void stop(EventDispatcher dispatcher) {
        dispatcher.stop();
    }
}
