package io.coherence.interfaces.websocket;

/** The socket under a connection: Jakarta WebSocket in the server, a fake in unit tests. */
interface Transport {

    /**
     * Sends one text frame; exactly one of the callbacks runs once it is written or failed. May
     * block while the client does not read; called from the sender pool, never from the signal writer.
     */
    void send(String text, Runnable sent, java.util.function.Consumer<Throwable> failed);

    /** Closes the socket with a close code and a reason (at most 123 bytes of UTF-8). */
    void close(int code, String reason);
}
