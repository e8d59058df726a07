package io.coherence.interfaces.websocket;

import java.util.concurrent.Executor;

/**
 * The threads that write frames to sockets, shared by every tenant's {@link SenderLane}. A write
 * blocked on a client that does not read keeps its thread; the threads can lend one in its place.
 */
interface SenderThreads extends Executor {

    /** Adds a thread in place of one blocked on a client; false when no more may be lent. */
    boolean lend();

    /** A write that a thread was lent for returned: the lent thread goes away again. */
    void giveBack();
}
