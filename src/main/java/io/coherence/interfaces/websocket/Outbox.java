package io.coherence.interfaces.websocket;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * A connection's send queue: one frame in flight at a time, in order. Protocol messages always
 * queue; events queue while fewer than {@code capacity} wait, otherwise they are dropped (the
 * caller counts them). A queue that stays full longer than the grace period means the client
 * cannot keep up: {@link #overflowing(long)} tells the connection to close it.
 *
 * <p>Queuing never sends on the caller's thread (the caller is the signal writer, which must not
 * do socket work): frames go out in turns on the {@link Sender} (the tenant's sender lane),
 * {@link #FRAMES_PER_TURN} at a time per connection, so one busy connection cannot hold a sender
 * thread. A close waits for the frame in flight, so a close frame never interleaves with an event
 * frame (and, in Liberty, a session closed under a blocked write strands the writing thread).
 */
final class Outbox {

    /** Runs an outbox's turns: {@link #pump()} once per submit, on a thread that may do socket work. */
    interface Sender {
        void submit(Outbox outbox);

        /** The outbox closed: a turn of it that has not started yet need not run. */
        default void withdraw(Outbox outbox) {
        }
    }

    /** Protocol messages beyond the event capacity before a client that never reads is cut off. */
    static final int CONTROL_ALLOWANCE = 256;

    /** Frames one turn on a sender thread writes before it lets other connections have the thread. */
    static final int FRAMES_PER_TURN = 64;

    private final Transport transport;
    private volatile Sender sender;
    /** Where the last turn was submitted, so a close can withdraw it. */
    private volatile Sender submittedTo;
    private final int capacity;
    private final long graceNanos;
    private final LongConsumer eventSent;
    private final Runnable stuck;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private int events;
    private boolean inFlight;
    private boolean pumping;
    private boolean closing;
    private boolean closed;
    private Frame pendingClose;
    private long fullSince = -1;
    private long inFlightSince;
    private boolean reportedStuck;
    /** The thread writing the frame in flight, while it writes. */
    private Thread writer;
    /** The socket is gone ({@link #discard()}). */
    private boolean gone;
    private long lastNudge;

    /**
     * @param eventSent told, per event frame, its commit time in epoch milliseconds once the frame
     *                  was written to the socket
     * @param stuck     told when {@link #checkStuck} finds a frame the client has not taken in time
     */
    Outbox(Transport transport, Sender sender, int capacity, long graceNanos, LongConsumer eventSent,
           Runnable stuck) {
        this.transport = transport;
        this.sender = sender;
        this.capacity = capacity;
        this.graceNanos = graceNanos;
        this.eventSent = eventSent;
        this.stuck = stuck;
    }

    /** Later turns run on this sender: the connection's tenant became known. */
    void sendVia(Sender next) {
        sender = next;
    }

    /** Queues a protocol message; false when even the allowance for them is used up, or closing. */
    boolean control(String text) {
        synchronized (this) {
            if (closing || queue.size() >= capacity + CONTROL_ALLOWANCE) {
                return false;
            }
            queue.add(new Frame(text, false, -1, 0, null));
        }
        requestPump();
        return true;
    }

    /** Queues an event message; false (dropped) when the queue holds {@code capacity} events. */
    boolean event(String text, long committedAtMillis, long nowNanos) {
        synchronized (this) {
            if (closing) {
                return true;
            }
            if (events >= capacity) {
                if (fullSince < 0) {
                    fullSince = nowNanos;
                }
                return false;
            }
            events++;
            queue.add(new Frame(text, true, committedAtMillis, 0, null));
        }
        requestPump();
        return true;
    }

    /**
     * Queues a replayed event (a resuming subscriber's catch-up), which takes a place of the event
     * capacity but does not count in the commit→send latency; false when the queue is full (the
     * replay waits and tries again, it never drops), true when closing.
     */
    boolean replayed(String text) {
        synchronized (this) {
            if (closing) {
                return true;
            }
            if (events >= capacity) {
                return false;
            }
            events++;
            queue.add(new Frame(text, true, -1, 0, null));
        }
        requestPump();
        return true;
    }

    /** True when events were dropped continuously for longer than the grace period. */
    synchronized boolean overflowing(long nowNanos) {
        return fullSince >= 0 && nowNanos - fullSince > graceNanos;
    }

    /**
     * True, once per blocked frame, when that frame has been on its way to the client for longer
     * than {@code timeoutNanos}: the client stopped reading. Tells the {@code stuck} callback too.
     * Once the socket is gone, a write blocked that long has its thread interrupted, at most once
     * per timeout, so a write Liberty left waiting on a closed socket ends. (A connection cut off
     * while its client is still connected keeps its blocked write: see {@link SenderLane}.)
     */
    boolean checkStuck(long nowNanos, long timeoutNanos) {
        synchronized (this) {
            if (!inFlight || nowNanos - inFlightSince <= timeoutNanos) {
                return false;
            }
            if (gone && writer != null && nowNanos - lastNudge > timeoutNanos) {
                lastNudge = nowNanos;
                // The socket is gone, yet its write still waits: Liberty can leave a blocking write
                // waiting for ever when it closes the socket under it (the client reset the
                // connection). An interrupt wakes the write, which then fails on the closed socket.
                writer.interrupt();
            }
            if (reportedStuck) {
                return false;
            }
            reportedStuck = true;
        }
        stuck.run();
        return true;
    }

    /** True when at most half the event capacity is in use. */
    synchronized boolean halfEmpty() {
        return events <= capacity / 2;
    }

    /** Closes the socket once everything queued before this call was written. */
    void closeAfterQueued(int code, String reason) {
        synchronized (this) {
            if (closing) {
                return;
            }
            queue.add(new Frame(null, false, -1, code, reason));
            closing = true;
        }
        requestPump();
    }

    /** Drops what is queued and closes as soon as the frame in flight (if any) is written. */
    void closeNow(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closing = true;
            queue.clear();
            events = 0;
            if (inFlight) {
                pendingClose = new Frame(null, false, -1, code, reason);
                return;
            }
            closed = true;
        }
        withdraw();
        transport.close(code, reason);
    }

    /**
     * The socket is gone: drops what is queued and leaves the sender, where a turn may wait for
     * long behind the tenant's blocked writes. A frame in flight fails or returns on its own.
     */
    void discard() {
        synchronized (this) {
            gone = true;
            closing = true;
            closed = true;
            queue.clear();
            events = 0;
        }
        withdraw();
    }

    private void withdraw() {
        Sender s = submittedTo;
        if (s != null) {
            s.withdraw(this);
        }
    }

    private void requestPump() {
        synchronized (this) {
            if (pumping || inFlight || queue.isEmpty() || closed) {
                return;
            }
            pumping = true;
        }
        submit();
    }

    private void submit() {
        Sender s = sender;
        submittedTo = s;
        s.submit(this);
    }

    /**
     * One turn: sends until a send is outstanding, nothing is left, or this turn wrote its share
     * (then the rest goes back to the sender, behind other connections); one thread at a time.
     */
    void pump() {
        int written = 0;
        while (true) {
            Frame next;
            synchronized (this) {
                if (inFlight || queue.isEmpty() || closed) {
                    pumping = false;
                    return;
                }
                if (written++ == FRAMES_PER_TURN) {
                    submit();
                    return;
                }
                next = queue.poll();
                if (next.text() == null) {
                    closed = true;
                    pumping = false;
                } else {
                    inFlight = true;
                    inFlightSince = System.nanoTime();
                    lastNudge = inFlightSince;
                    writer = Thread.currentThread();
                }
            }
            if (next.text() == null) {
                transport.close(next.closeCode(), next.closeReason());
                return;
            }
            transport.send(next.text(), () -> sent(next, true), failure -> sent(next, false));
            // An interrupt from checkStuck came before sent() ended the write; it is spent.
            Thread.interrupted();
        }
    }

    private void sent(Frame frame, boolean written) {
        boolean pumpHere;
        Frame close;
        synchronized (this) {
            inFlight = false;
            writer = null;
            reportedStuck = false;
            if (frame.event() && events > 0) {
                events--;
                if (events <= capacity / 2) {
                    fullSince = -1;
                }
            }
            close = pendingClose;
            pendingClose = null;
            if (close != null) {
                closed = true;
            }
            // A thread already in pump() re-checks inFlight after this block; otherwise pump here.
            pumpHere = close == null && !pumping && !queue.isEmpty() && !closed;
            if (pumpHere) {
                pumping = true;
            }
        }
        if (written && frame.event() && frame.committedAtMillis() >= 0) {
            eventSent.accept(frame.committedAtMillis());
        }
        if (close != null) {
            transport.close(close.closeCode(), close.closeReason());
        } else if (pumpHere) {
            pump();
        }
    }

    private record Frame(String text, boolean event, long committedAtMillis, int closeCode, String closeReason) {
    }
}
