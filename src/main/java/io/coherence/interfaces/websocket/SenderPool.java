package io.coherence.interfaces.websocket;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The sender threads. Writes block (Liberty's blocking send costs about a third of its
 * asynchronous one per frame), so a client that stops reading holds a thread until it reads again
 * or disconnects; closing its session meanwhile would strand the thread for good in Liberty
 * 26.0.0.3. The pool therefore grows by one thread per such write (at most {@code maxLent}) and
 * shrinks back when the write returns, so the other connections keep {@code threads} writers.
 * How many of the lent threads one tenant gets is {@link SenderLane}'s business.
 */
final class SenderPool implements SenderThreads {

    private static final Logger LOG = Logger.getLogger(SenderPool.class.getName());

    private final int threads;
    private final int maxLent;
    private final ThreadPoolExecutor pool;
    private int lent;
    private boolean warned;

    SenderPool(int threads, int maxLent) {
        this.threads = threads;
        this.maxLent = maxLent;
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

    @Override
    public synchronized boolean lend() {
        if (lent >= maxLent) {
            if (!warned) {
                warned = true;
                LOG.warning(() -> maxLent + " sender threads are lent for clients that do not read; further ones"
                        + " block the pool's own " + threads + " threads until those clients read or disconnect");
            }
            return false;
        }
        lent++;
        pool.setMaximumPoolSize(threads + lent);
        pool.setCorePoolSize(threads + lent);
        return true;
    }

    @Override
    public synchronized void giveBack() {
        lent--;
        warned = false;
        pool.setCorePoolSize(threads + lent);
        pool.setMaximumPoolSize(threads + lent);
    }

    synchronized int lentCount() {
        return lent;
    }

    int poolSize() {
        return pool.getCorePoolSize();
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
