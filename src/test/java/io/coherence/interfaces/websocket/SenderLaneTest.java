package io.coherence.interfaces.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How much of the sender threads one tenant's clients that stop reading can hold. */
class SenderLaneTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);
    private static final int WRITERS = 2;
    private static final int LENT = 3;

    private final ThreadPerTask threads = new ThreadPerTask(100);
    private final AtomicLong blocked = new AtomicLong();
    private final SenderLanes lanes = new SenderLanes(threads, WRITERS, LENT, blocked::addAndGet);
    private final AtomicInteger writesStarted = new AtomicInteger();
    private final List<UnreadClient> clients = new ArrayList<>();
    private final AtomicInteger stuckReported = new AtomicInteger();

    @AfterEach
    void readEverything() throws InterruptedException {
        clients.forEach(UnreadClient::read);
        threads.join();
    }

    @Test
    void aTenantsBlockedWritesHoldAtMostItsWritersPlusItsLentThreadsAndOtherTenantsStillWrite() {
        SenderLane a = lanes.forTenant("a");
        for (int i = 0; i < 10; i++) {
            outbox(a, unread()).event("e" + i, 1, 0);
        }
        awaitWrites(WRITERS);
        assertThat(a.waiting()).as("the rest wait in the tenant's lane").isEqualTo(8);

        // Each pass of the watchdog lends threads for the blocked writes and hands their writers on.
        lanes.checkStuck(later(), TIMEOUT);
        awaitWrites(4);
        lanes.checkStuck(later(), TIMEOUT);
        awaitWrites(5);
        lanes.checkStuck(later(), TIMEOUT);

        assertThat(blocked).hasValue(LENT + WRITERS);
        assertThat(stuckReported).hasValue(LENT + WRITERS);
        assertThat(threads.lent).as("every blocked thread has a lent one in its place").hasValue(LENT + WRITERS);
        assertThat(a.lent()).isEqualTo(LENT);
        assertThat(a.writing()).as("the blocked writes that were not given back").isEqualTo(WRITERS);
        assertThat(a.waiting()).as("its further connections wait for the tenant's own writers").isEqualTo(5);
        assertThat(writesStarted).hasValue(LENT + WRITERS);

        FakeTransport reader = new FakeTransport();
        Outbox b = outbox(lanes.forTenant("b"), reader);
        for (int i = 0; i < 100; i++) {
            b.event("b" + i, 1, 0);
        }
        Eventually.await("tenant b's frames", WAIT, () -> reader.sent.size() == 100);
        assertThat(reader.sent).startsWith("b0", "b1", "b2").endsWith("b99");
    }

    @Test
    void whenThePoolLendsNoMoreABlockedWriteKeepsItsWriter() {
        threads.maxLent = 0;
        SenderLane a = lanes.forTenant("a");
        for (int i = 0; i < 4; i++) {
            outbox(a, unread()).event("e" + i, 1, 0);
        }
        awaitWrites(WRITERS);

        lanes.checkStuck(later(), TIMEOUT);

        assertThat(blocked).hasValue(WRITERS);
        assertThat(a.lent()).isZero();
        assertThat(a.writing()).isEqualTo(WRITERS);
        assertThat(a.waiting()).isEqualTo(2);
        assertThat(writesStarted).hasValue(WRITERS);
    }

    @Test
    void aBlockedWriteThatReturnsGivesItsThreadBackAndTheNextConnectionWrites() {
        SenderLane a = lanes.forTenant("a");
        for (int i = 0; i < 3; i++) {
            outbox(a, unread()).event("e" + i, 1, 0);
        }
        awaitWrites(WRITERS);
        lanes.checkStuck(later(), TIMEOUT);
        awaitWrites(3);
        assertThat(threads.lent).hasValue(2);

        clients.get(0).read();

        Eventually.await("the returned write no longer counted as blocked", WAIT, () -> blocked.get() == 1);
        assertThat(threads.lent).as("its lent thread given back").hasValue(1);
        assertThat(a.lent()).isEqualTo(1);
        assertThat(clients.get(0).sent).containsExactly("e0");
    }

    @Test
    void aWriteThatReturnedBeforeTheWatchdogLookedIsNotLentAThread() {
        SenderLane a = lanes.forTenant("a");
        Outbox once = outbox(a, unread());
        once.event("e", 1, 0);
        awaitWrites(1);
        clients.get(0).read();
        Eventually.await("the turn ended", WAIT, () -> a.writing() == 0);

        lanes.checkStuck(later(), TIMEOUT);

        assertThat(threads.lent).hasValue(0);
        assertThat(blocked).hasValue(0);
        assertThat(stuckReported).hasValue(0);
    }

    @Test
    void aConnectionThatClosesWhileWaitingForItsTenantsWritersLeavesTheLane() {
        SenderLane a = lanes.forTenant("a");
        for (int i = 0; i < WRITERS; i++) {
            outbox(a, unread()).event("e" + i, 1, 0);
        }
        FakeTransport closing = new FakeTransport();
        Outbox waiting = outbox(a, closing);
        waiting.event("never sent", 1, 0);
        Outbox cut = outbox(a, new FakeTransport());
        cut.event("never sent either", 1, 0);
        awaitWrites(WRITERS);
        assertThat(a.waiting()).isEqualTo(2);

        waiting.discard();
        cut.closeNow(1013, "SLOW_CONSUMER");

        assertThat(a.waiting()).isZero();
        clients.forEach(UnreadClient::read);
        Eventually.await("the tenant's writers free", WAIT, () -> a.writing() == 0);
        assertThat(closing.sent).isEmpty();
    }

    @Test
    void connectionsNotYetAdmittedShareOneLane() {
        assertThat(lanes.unadmitted()).isSameAs(lanes.unadmitted()).isNotSameAs(lanes.forTenant(""));
        assertThat(lanes.forTenant("a")).isSameAs(lanes.forTenant("a")).isNotSameAs(lanes.forTenant("b"));
    }

    private Outbox outbox(SenderLane lane, Transport transport) {
        return new Outbox(transport, lane, 128, TIMEOUT, sent -> { }, stuckReported::incrementAndGet);
    }

    private UnreadClient unread() {
        UnreadClient client = new UnreadClient(writesStarted);
        clients.add(client);
        return client;
    }

    private void awaitWrites(int n) {
        Eventually.await(n + " writes under way", WAIT, () -> writesStarted.get() == n);
    }

    private static long later() {
        return System.nanoTime() + TIMEOUT + 1;
    }

    /** A client that does not read: a send blocks until {@link #read()}. */
    private static final class UnreadClient implements Transport {
        private final AtomicInteger started;
        private final CountDownLatch reads = new CountDownLatch(1);
        final List<String> sent = new CopyOnWriteArrayList<>();

        UnreadClient(AtomicInteger started) {
            this.started = started;
        }

        @Override
        public void send(String text, Runnable done, Consumer<Throwable> failed) {
            started.incrementAndGet();
            try {
                reads.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed.accept(e);
                return;
            }
            sent.add(text);
            done.run();
        }

        @Override
        public void close(int code, String reason) {
        }

        void read() {
            reads.countDown();
        }
    }

    /** A thread per task, so blocked writes really hold threads; lends up to {@code maxLent}. */
    private static final class ThreadPerTask implements SenderThreads {
        final AtomicInteger lent = new AtomicInteger();
        volatile int maxLent;
        private final List<Thread> started = new CopyOnWriteArrayList<>();

        ThreadPerTask(int maxLent) {
            this.maxLent = maxLent;
        }

        @Override
        public void execute(Runnable task) {
            Thread t = new Thread(task, "test-sender");
            t.setDaemon(true);
            started.add(t);
            t.start();
        }

        @Override
        public boolean lend() {
            if (lent.get() >= maxLent) {
                return false;
            }
            lent.incrementAndGet();
            return true;
        }

        @Override
        public void giveBack() {
            lent.decrementAndGet();
        }

        void join() throws InterruptedException {
            for (Thread t : started) {
                t.join(WAIT.toMillis());
            }
        }
    }
}
