package io.coherence.interfaces.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The threads that write frames to sockets. Writes block (Liberty's blocking send costs about a
 * third of its asynchronous one per frame), so a client that stops reading holds a thread until it
 * reads again or disconnects; closing its session meanwhile would strand the thread for good in
 * Liberty 26.0.0.3. The pool therefore grows by one thread per such client (at most
 * {@code maxPinned}) and shrinks back when its write returns, so healthy connections keep
 * {@code threads} writers.
 */
final class SenderPool implements Executor {

    private static final Logger LOG = Logger.getLogger(SenderPool.class.getName());

    private final int threads;
    private final int maxPinned;
    private final ThreadPoolExecutor pool;
    private int pinned;

    SenderPool(int threads, int maxPinned) {
        this.threads = threads;
        this.maxPinned = maxPinned;
        this.pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "coherence-subscription-sender");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** A write is blocked on a client that does not read: lend the pool a thread in its place. */
    synchronized void pinned() {
        pinned++;
        if (pinned > maxPinned) {
            LOG.warning(() -> pinned + " subscription sockets are not reading; the pool stays at "
                    + (threads + maxPinned) + " threads");
            return;
        }
        pool.setMaximumPoolSize(threads + pinned);
        pool.setCorePoolSize(threads + pinned);
    }

    /** A blocked write returned (the client read or went away). */
    synchronized void released() {
        pinned--;
        int size = threads + Math.min(Math.max(pinned, 0), maxPinned);
        pool.setCorePoolSize(size);
        pool.setMaximumPoolSize(size);
    }

    synchronized int pinnedCount() {
        return pinned;
    }

    int poolSize() {
        return pool.getCorePoolSize();
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
