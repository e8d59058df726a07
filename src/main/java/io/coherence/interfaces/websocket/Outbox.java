package io.coherence.interfaces.websocket;

import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * A connection's send queue: one frame in flight at a time, in order. Protocol messages always
 * queue; events queue while fewer than {@code capacity} wait, otherwise they are dropped (the
 * caller counts them). A queue that stays full longer than the grace period means the client
 * cannot keep up: {@link #overflowing(long)} tells the connection to close it.
 */
final class Outbox {

    /** Protocol messages beyond the event capacity before a client that never reads is cut off. */
    static final int CONTROL_ALLOWANCE = 256;

    private final Transport transport;
    private final int capacity;
    private final long graceNanos;
    private final LongConsumer eventSent;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private int events;
    private boolean inFlight;
    private Thread pumping;
    private long fullSince = -1;

    /**
     * @param eventSent told, per event frame, its commit time in epoch milliseconds once the frame
     *                  was written to the socket
     */
    Outbox(Transport transport, int capacity, long graceNanos, LongConsumer eventSent) {
        this.transport = transport;
        this.capacity = capacity;
        this.graceNanos = graceNanos;
        this.eventSent = eventSent;
    }

    /** Queues a protocol message; false when even the allowance for them is used up. */
    boolean control(String text) {
        synchronized (this) {
            if (queue.size() >= capacity + CONTROL_ALLOWANCE) {
                return false;
            }
            queue.add(new Frame(text, -1, 0, null));
        }
        pump();
        return true;
    }

    /** Queues an event message; false (dropped) when the queue holds {@code capacity} events. */
    boolean event(String text, long committedAtMillis, long nowNanos) {
        synchronized (this) {
            if (events >= capacity) {
                if (fullSince < 0) {
                    fullSince = nowNanos;
                }
                return false;
            }
            events++;
            queue.add(new Frame(text, committedAtMillis, 0, null));
        }
        pump();
        return true;
    }

    /** True when events were dropped continuously for longer than the grace period. */
    synchronized boolean overflowing(long nowNanos) {
        return fullSince >= 0 && nowNanos - fullSince > graceNanos;
    }

    /** True when at most half the event capacity is in use. */
    synchronized boolean halfEmpty() {
        return events <= capacity / 2;
    }

    /** Closes the socket once everything queued before this call was written. */
    void closeAfterQueued(int code, String reason) {
        synchronized (this) {
            queue.add(new Frame(null, -1, code, reason));
        }
        pump();
    }

    private void pump() {
        synchronized (this) {
            if (pumping != null) {
                return;
            }
            pumping = Thread.currentThread();
        }
        while (true) {
            Frame next;
            synchronized (this) {
                if (inFlight || queue.isEmpty()) {
                    pumping = null;
                    return;
                }
                next = queue.poll();
                // A close frame ends the queue: leave inFlight set so nothing is sent after it.
                inFlight = true;
            }
            if (next.text() == null) {
                transport.close(next.closeCode(), next.closeReason());
                synchronized (this) {
                    queue.clear();
                    pumping = null;
                }
                return;
            }
            transport.send(next.text(), () -> sent(next, true), failure -> sent(next, false));
        }
    }

    private void sent(Frame frame, boolean written) {
        boolean pumpHere;
        synchronized (this) {
            inFlight = false;
            if (frame.committedAtMillis() >= 0) {
                events--;
                if (events <= capacity / 2) {
                    fullSince = -1;
                }
            }
            // A thread already in pump() re-checks inFlight after this block; otherwise pump here.
            pumpHere = pumping == null;
        }
        if (written && frame.committedAtMillis() >= 0) {
            eventSent.accept(frame.committedAtMillis());
        }
        if (pumpHere) {
            pump();
        }
    }

    private record Frame(String text, long committedAtMillis, int closeCode, String closeReason) {
    }
}
