package io.coherence.interfaces.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private static final long GRACE = TimeUnit.MILLISECONDS.toNanos(500);

    private final FakeTransport transport = new FakeTransport();
    private final List<Long> sentEvents = new ArrayList<>();
    private int stuck;
    private final Outbox outbox = new Outbox(transport, Outbox::pump, 4, GRACE, sentEvents::add, () -> stuck++);

    @Test
    void framesGoOutOneAtATimeInOrder() {
        transport.hold();
        outbox.control("a");
        outbox.event("b", 10, 0);
        outbox.control("c");

        assertThat(transport.sent).containsExactly("a");
        transport.completeOne();
        assertThat(transport.sent).containsExactly("a", "b");
        transport.completeOne();
        transport.completeOne();
        assertThat(transport.sent).containsExactly("a", "b", "c");
        assertThat(sentEvents).as("commit times of written events").containsExactly(10L);
    }

    @Test
    void eventsBeyondTheCapacityAreRefusedWhileProtocolMessagesStillQueue() {
        transport.hold();
        for (int i = 0; i < 4; i++) {
            assertThat(outbox.event("e" + i, i, 0)).isTrue();
        }
        // Events count until written: one in flight and three waiting fill a capacity of four.
        assertThat(outbox.event("e4", 4, 0)).isFalse();
        assertThat(outbox.control("pong")).isTrue();
    }

    @Test
    void aQueueFullForLongerThanTheGraceIsOverflowingUntilItDrainsToHalf() {
        transport.hold();
        for (int i = 0; i < 4; i++) {
            outbox.event("e" + i, i, 0);
        }
        assertThat(outbox.event("late", 9, 1_000)).isFalse();
        assertThat(outbox.overflowing(1_000 + GRACE)).isFalse();
        assertThat(outbox.overflowing(1_000 + GRACE + 1)).isTrue();

        assertThat(outbox.halfEmpty()).isFalse();
        transport.completeOne();
        transport.completeOne();

        assertThat(outbox.halfEmpty()).isTrue();
        assertThat(outbox.overflowing(1_000 + 10 * GRACE)).isFalse();
    }

    @Test
    void aCloseAfterQueuedWaitsForEverythingBeforeItAndEndsTheQueue() {
        transport.hold();
        outbox.control("error");
        outbox.closeAfterQueued(4403, "Forbidden: token expired");
        outbox.control("after");

        assertThat(transport.closeCode).isZero();
        transport.completeOne();

        assertThat(transport.closeCode).isEqualTo(4403);
        assertThat(transport.sent).containsExactly("error");
    }

    /** A deep queue drained by sends that complete inline must loop, not recurse (no stack overflow). */
    @Test
    void sendsThatCompleteOnTheSendingThreadDrainALongQueueIteratively() {
        Outbox roomy = new Outbox(transport, Outbox::pump, 1_000_000, GRACE, sentEvents::add, () -> stuck++);
        transport.hold();
        for (int i = 0; i < 100_000; i++) {
            roomy.event("m" + i, i, 0);
        }
        transport.release();
        transport.completeOne();

        assertThat(transport.sent).hasSize(100_000).endsWith("m99999");
        assertThat(sentEvents).hasSize(100_000);
    }

    @Test
    void queuingNeverSendsOnTheCallersThread() {
        List<Runnable> tasks = new ArrayList<>();
        Outbox handedOff = new Outbox(transport, o -> tasks.add(o::pump), 4, GRACE, sentEvents::add, () -> stuck++);

        handedOff.event("e", 1, 0);
        handedOff.event("f", 2, 0);

        assertThat(transport.sent).isEmpty();
        assertThat(tasks).hasSize(1);
        tasks.get(0).run();
        assertThat(transport.sent).containsExactly("e", "f");
    }

    @Test
    void aCloseWaitsForTheFrameInFlightAndDropsTheRest() {
        transport.hold();
        outbox.event("in-flight", 1, 0);
        outbox.event("queued", 2, 0);

        outbox.closeNow(1013, "SLOW_CONSUMER");
        assertThat(transport.closeCode).as("not while a frame is being written").isZero();

        transport.completeOne();
        assertThat(transport.closeCode).isEqualTo(1013);
        assertThat(transport.sent).containsExactly("in-flight");
        assertThat(outbox.control("after the close")).as("nothing queues after a close").isFalse();
    }

    @Test
    void aDiscardedOutboxSendsNothingMoreAndWithdrawsItsWaitingTurn() {
        List<Outbox> withdrawn = new ArrayList<>();
        List<Runnable> turns = new ArrayList<>();
        Outbox.Sender sender = new Outbox.Sender() {
            @Override
            public void submit(Outbox o) {
                turns.add(o::pump);
            }

            @Override
            public void withdraw(Outbox o) {
                withdrawn.add(o);
            }
        };
        Outbox waiting = new Outbox(transport, sender, 4, GRACE, sentEvents::add, () -> stuck++);
        waiting.event("e", 1, 0);

        waiting.discard();

        assertThat(withdrawn).containsExactly(waiting);
        turns.forEach(Runnable::run);
        assertThat(transport.sent).isEmpty();
        assertThat(waiting.control("after")).isFalse();
    }

    @Test
    void aFrameNotTakenWithinTheTimeoutIsStuck() {
        transport.hold();
        long before = System.nanoTime();
        outbox.event("never-read", 1, 0);

        assertThat(outbox.checkStuck(before, GRACE)).isFalse();
        assertThat(stuck).isZero();
        assertThat(outbox.checkStuck(System.nanoTime() + GRACE + 1, GRACE)).isTrue();
        assertThat(stuck).as("the connection is told").isEqualTo(1);
        assertThat(outbox.checkStuck(System.nanoTime() + GRACE + 1, GRACE)).as("reported once per frame").isFalse();

        transport.completeOne();

        assertThat(outbox.checkStuck(System.nanoTime() + GRACE + 1, GRACE)).as("nothing in flight").isFalse();
        assertThat(stuck).isEqualTo(1);
    }

    @Test
    void aWriteStillBlockedOnceItsSocketIsGoneIsInterrupted() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        AtomicInteger wakeUps = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        // Like Liberty's blocking write on a socket closed under it: nothing but an interrupt wakes it.
        Transport stranded = new Transport() {
            @Override
            public void send(String text, Runnable sent, Consumer<Throwable> failed) {
                writing.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    wakeUps.incrementAndGet();
                    failed.accept(new IOException("socket closed"));
                }
            }

            @Override
            public void close(int code, String reason) {
            }
        };
        Outbox blocked = new Outbox(stranded, Outbox::pump, 4, GRACE, sentEvents::add, () -> stuck++);
        Thread sender = new Thread(() -> {
            blocked.event("never-taken", 1, 0);
            failure.set(Thread.currentThread().isInterrupted() ? new AssertionError("interrupt left set") : null);
        });
        sender.start();
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        long late = System.nanoTime() + GRACE + 1;

        blocked.checkStuck(late, GRACE);
        assertThat(wakeUps.get()).as("an open connection's blocked write is left alone").isZero();
        blocked.closeNow(1013, "slow consumer");
        blocked.checkStuck(late + GRACE * 2, GRACE);
        assertThat(wakeUps.get()).as("so is one cut off while its client is still connected").isZero();

        blocked.discard();
        blocked.checkStuck(late + GRACE * 4, GRACE);
        sender.join(5_000);

        assertThat(sender.isAlive()).as("the sender thread came back").isFalse();
        assertThat(wakeUps.get()).isEqualTo(1);
        assertThat(failure.get()).isNull();
        assertThat(sentEvents).as("a failed write is not counted as sent").isEmpty();
        assertThat(blocked.checkStuck(late + GRACE * 8, GRACE)).as("nothing in flight any more").isFalse();
    }
}
