package io.coherence.interfaces.websocket;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A socket for unit tests: records what was sent and how it was closed. Sends complete at once,
 * or, when held, only when the test calls {@link #completeOne()}, like a client that reads slowly.
 */
final class FakeTransport implements Transport {

    final List<String> sent = new CopyOnWriteArrayList<>();
    private final Queue<Runnable> pending = new ArrayDeque<>();
    private boolean held;
    volatile int closeCode;
    volatile String closeReason;

    @Override
    public void send(String text, Runnable done, Consumer<Throwable> failed) {
        sent.add(text);
        synchronized (this) {
            if (held) {
                pending.add(done);
                return;
            }
        }
        done.run();
    }

    @Override
    public void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
    }

    synchronized void hold() {
        held = true;
    }

    /** From now on sends complete at once again (those already pending still wait). */
    synchronized void release() {
        held = false;
    }

    void completeOne() {
        Runnable done;
        synchronized (this) {
            done = pending.poll();
        }
        if (done != null) {
            done.run();
        }
    }
}
