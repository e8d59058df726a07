package io.coherence.interfaces.websocket;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * One tenant's share of the sender threads. At most {@code writers} of the tenant's send turns run
 * at once; the rest wait here, in order, so the tenant's turns never queue in front of other
 * tenants' ones. A turn whose write blocked on a client that stopped reading is lent a thread in
 * its place and gives its writer back to the tenant, for at most {@code maxLent} such turns at a
 * time; beyond that a blocked turn keeps its writer. So a tenant's clients that stop reading hold
 * at most {@code writers + maxLent} threads, all of them lent while the pool has threads to lend:
 * other tenants keep the pool's own threads, and the tenant's further turns wait until its blocked
 * writes return (the client reads again or disconnects).
 */
final class SenderLane implements Outbox.Sender {

    private final SenderThreads threads;
    private final int writers;
    private final int maxLent;
    private final LongConsumer blockedChanged;
    private final ArrayDeque<Outbox> waiting = new ArrayDeque<>();
    /** The latest turn of each outbox that is running (an outbox runs one turn at a time). */
    private final Map<Outbox, Turn> running = new ConcurrentHashMap<>();
    private int writing;
    private int lent;

    /**
     * @param blockedChanged told +1 when a running turn is found blocked, -1 when such a turn ends
     */
    SenderLane(SenderThreads threads, int writers, int maxLent, LongConsumer blockedChanged) {
        this.threads = threads;
        this.writers = writers;
        this.maxLent = maxLent;
        this.blockedChanged = blockedChanged;
    }

    @Override
    public void submit(Outbox outbox) {
        synchronized (this) {
            if (writing >= writers) {
                waiting.add(outbox);
                return;
            }
            writing++;
        }
        start(outbox);
    }

    @Override
    public synchronized void withdraw(Outbox outbox) {
        waiting.remove(outbox);
    }

    /**
     * Finds the running turns whose frame has been on its way for longer than {@code timeoutNanos}
     * (each outbox reports a frame once) and lends each a thread in its place.
     */
    void checkStuck(long nowNanos, long timeoutNanos) {
        for (Turn turn : running.values()) {
            if (turn.outbox.checkStuck(nowNanos, timeoutNanos)) {
                blocked(turn);
            }
        }
    }

    synchronized int writing() {
        return writing;
    }

    synchronized int lent() {
        return lent;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private void start(Outbox outbox) {
        threads.execute(() -> run(outbox));
    }

    private void run(Outbox outbox) {
        Turn turn = new Turn(outbox);
        running.put(outbox, turn);
        try {
            outbox.pump();
        } finally {
            finished(turn);
        }
    }

    private void blocked(Turn turn) {
        Outbox next = null;
        synchronized (this) {
            if (turn.finished || turn.blocked) {
                return;
            }
            turn.blocked = true;
            turn.threadLent = threads.lend();
            // A writer goes back to the tenant only when a thread took the blocked one's place, so
            // the tenant never holds more of the pool's own threads than it has writers.
            if (turn.threadLent && lent < maxLent) {
                lent++;
                turn.writerGivenBack = true;
                writing--;
                next = nextLocked();
            }
        }
        blockedChanged.accept(1);
        if (next != null) {
            start(next);
        }
    }

    private void finished(Turn turn) {
        Outbox next;
        boolean wasBlocked;
        synchronized (this) {
            turn.finished = true;
            wasBlocked = turn.blocked;
            running.remove(turn.outbox, turn);
            if (turn.threadLent) {
                threads.giveBack();
            }
            if (turn.writerGivenBack) {
                lent--;
            } else {
                writing--;
            }
            next = nextLocked();
        }
        if (wasBlocked) {
            blockedChanged.accept(-1);
        }
        if (next != null) {
            start(next);
        }
    }

    private Outbox nextLocked() {
        if (writing >= writers) {
            return null;
        }
        Outbox next = waiting.poll();
        if (next != null) {
            writing++;
        }
        return next;
    }

    /** One run of an outbox's {@link Outbox#pump()} on a sender thread. */
    private static final class Turn {
        final Outbox outbox;
        boolean blocked;
        boolean threadLent;
        boolean writerGivenBack;
        boolean finished;

        Turn(Outbox outbox) {
            this.outbox = outbox;
        }
    }
}
