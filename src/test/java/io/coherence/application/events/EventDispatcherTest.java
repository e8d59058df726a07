package io.coherence.application.events;

import static io.coherence.application.events.Events.score;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

    private static final Duration REORDER = Duration.ofMillis(50);
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final TenantId T = TenantId.of("tenant-t");
    private static final TenantId U = TenantId.of("tenant-u");

    private final Counts counts = new Counts();
    private final EventDispatcher dispatcher =
            new EventDispatcher(new EventSettings(REORDER, Duration.ZERO, 100_000, 100_000), counts);

    @AfterEach
    void stopTicker() {
        dispatcher.stop();
    }

    /** Called by the caller of dispatch and by the ticker thread. */
    private static final class Sink implements EventSink {

        final List<CoherenceEvent> received = new CopyOnWriteArrayList<>();
        final List<Long> receivedAtNanos = new CopyOnWriteArrayList<>();

        @Override
        public void accept(CoherenceEvent event) {
            receivedAtNanos.add(System.nanoTime());
            received.add(event);
        }

        @Override
        public void missed(long count, String reason) {
            throw new AssertionError("nothing should be missed here: " + count + " " + reason);
        }

        List<Long> sequences() {
            return received.stream().map(e -> ((SignalCommitted) e).sequence()).toList();
        }
    }

    private static final class Counts implements FanoutCounts {

        final AtomicLong gaps = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong repaired = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();

        @Override
        public void repaired(long events, long duplicates) {
            this.repaired.addAndGet(events);
            this.duplicates.addAndGet(duplicates);
        }

        @Override
        public void dropped(String reason, long count) {
            throw new AssertionError("nothing should be dropped here: " + count + " " + reason);
        }

        @Override
        public void outOfOrder(long gaps, long late) {
            this.gaps.addAndGet(gaps);
            this.late.addAndGet(late);
        }
    }

    private Sink subscribe(TenantId tenant, EventKind kind) {
        Sink sink = new Sink();
        dispatcher.subscribe(tenant, kind, sink);
        return sink;
    }

    @Test
    void aTenantsEventsNeverReachAnotherTenantsSubscribers() {
        Sink tSignals = subscribe(T, EventKind.SIGNALS);
        Sink tScores = subscribe(T, EventKind.SCORES);
        Sink uSignals = subscribe(U, EventKind.SIGNALS);
        Sink uScores = subscribe(U, EventKind.SCORES);
        ScoreChanged tScore = score(T, 0.8, 1);
        ScoreChanged uScore = score(U, 0.4, 1);

        dispatcher.dispatch(List.of(signal(T, 1), signal(U, 7), tScore, signal(T, 2), uScore));

        assertThat(tSignals.received).containsExactly(signal(T, 1), signal(T, 2));
        assertThat(tScores.received).containsExactly(tScore);
        assertThat(uSignals.received).containsExactly(signal(U, 7));
        assertThat(uScores.received).containsExactly(uScore);
    }

    @Test
    void afterClosingTheSubscriptionNothingMoreArrives() throws Exception {
        Sink closed = new Sink();
        AutoCloseable subscription = dispatcher.subscribe(T, EventKind.SIGNALS, closed);
        Sink stillOpen = subscribe(T, EventKind.SIGNALS);
        dispatcher.dispatch(List.of(signal(T, 1)));

        subscription.close();
        dispatcher.dispatch(List.of(signal(T, 2), signal(T, 3)));

        assertThat(closed.sequences()).containsExactly(1L);
        assertThat(stillOpen.sequences()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aTenantCanSubscribeAgainAfterItsLastSubscriptionClosed() throws Exception {
        AutoCloseable first = dispatcher.subscribe(T, EventKind.SIGNALS, new Sink());
        dispatcher.dispatch(List.of(signal(T, 1)));
        first.close();

        Sink again = subscribe(T, EventKind.SIGNALS);
        dispatcher.dispatch(List.of(signal(T, 2)));

        assertThat(again.sequences()).containsExactly(2L);
    }

    @Test
    void anEventForATenantWithoutSubscribersIsIgnored() {
        dispatcher.dispatch(List.of(signal(U, 1), signal(U, 2), score(U, 0.5, 1)));
        Sink late = subscribe(U, EventKind.SIGNALS);

        dispatcher.dispatch(List.of(signal(U, 5)));

        assertThat(late.sequences()).as("nothing was kept for the tenant, and 5 is its first event").containsExactly(5L);
        assertThat(counts.gaps.get()).isZero();
        assertThat(counts.late.get()).isZero();
    }

    @Test
    void aMissingEventThatArrivesInTimeReleasesTheHeldOnesAtOnce() {
        Sink sink = subscribe(T, EventKind.SIGNALS);

        dispatcher.dispatch(List.of(signal(T, 1)));
        dispatcher.dispatch(List.of(signal(T, 3), signal(T, 4)));
        dispatcher.dispatch(List.of(signal(T, 2)));

        assertThat(sink.sequences()).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void outOfOrderEventsAreReleasedByTheTickerAfterTheReorderWindow() {
        Sink sink = subscribe(T, EventKind.SIGNALS);
        dispatcher.dispatch(List.of(signal(T, 1)));

        long heldAt = System.nanoTime();
        dispatcher.dispatch(List.of(signal(T, 3), signal(T, 4)));
        assertThat(sink.sequences()).as("3 and 4 wait for 2").containsExactly(1L);

        Eventually.await("the ticker releases 3 and 4", WAIT, () -> sink.received.size() == 3);
        assertThat(sink.sequences()).containsExactly(1L, 3L, 4L);
        assertThat(sink.receivedAtNanos.get(1) - heldAt).as("held for the reorder window")
                .isGreaterThanOrEqualTo(REORDER.toNanos());
        assertThat(counts.gaps.get()).isEqualTo(1);
    }

    @Test
    void aListenerGetsEveryTenantsEventsFirstAndStopsWhenClosed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Sink tScores = subscribe(T, EventKind.SCORES);
        AutoCloseable listening = dispatcher.listen(e -> seen.add("listener " + e.tenant().value()));
        dispatcher.subscribe(T, EventKind.SCORES, new EventSink() {
            @Override
            public void accept(CoherenceEvent event) {
                seen.add("subscriber " + event.tenant().value());
            }

            @Override
            public void missed(long count, String reason) {
                seen.add("missed " + count);
            }
        });
        ScoreRemoved removed = new ScoreRemoved(U, Events.TS);

        dispatcher.dispatch(List.of(score(T, 0.5, 1), signal(U, 1), removed));
        listening.close();
        dispatcher.dispatch(List.of(score(T, 0.4, 2)));

        assertThat(seen).containsExactly("listener tenant-t", "subscriber tenant-t", "listener tenant-u",
                "listener tenant-u", "subscriber tenant-t");
        assertThat(tScores.received).containsExactly(score(T, 0.5, 1), score(T, 0.4, 2));
    }

    @Test
    void aFailingListenerStopsNeitherTheOtherListenersNorTheSubscribers() {
        List<CoherenceEvent> heard = new CopyOnWriteArrayList<>();
        Sink tScores = subscribe(T, EventKind.SCORES);
        dispatcher.listen(e -> {
            throw new IllegalStateException("listener bug");
        });
        dispatcher.listen(heard::add);

        dispatcher.dispatch(List.of(score(T, 0.5, 1)));

        assertThat(heard).containsExactly(score(T, 0.5, 1));
        assertThat(tScores.received).containsExactly(score(T, 0.5, 1));
    }

    @Test
    void aScoreRemovedReachesNoSubscriber() {
        Sink tScores = subscribe(T, EventKind.SCORES);
        Sink tSignals = subscribe(T, EventKind.SIGNALS);

        dispatcher.dispatch(List.of(new ScoreRemoved(T, Events.TS), score(T, 0.5, 1)));

        assertThat(tScores.received).containsExactly(score(T, 0.5, 1));
        assertThat(tSignals.received).isEmpty();
    }

    @Test
    void aGapTheBridgeLeftIsReadBackFromTheHistoryAndSentInOrderOnce() {
        InMemoryEventHistory history = new InMemoryEventHistory().add(signal(T, 1), signal(T, 2), signal(T, 3), signal(T, 4));
        EventDispatcher repairing = new EventDispatcher(new EventSettings(REORDER, Duration.ZERO, 100_000, 100_000),
                counts, history);
        try {
            Sink sink = new Sink();
            repairing.subscribe(T, EventKind.SIGNALS, sink);
            repairing.dispatch(List.of(signal(T, 1)));
            repairing.dispatch(List.of(signal(T, 4)));

            Eventually.await("2 and 3 are read back", WAIT, () -> sink.received.size() == 4);
            repairing.dispatch(List.of(signal(T, 2), signal(T, 3), signal(T, 5)));
            Eventually.await("5 follows", WAIT, () -> sink.received.size() == 5);

            assertThat(sink.sequences()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(counts.gaps.get()).isZero();
            assertThat(counts.repaired.get()).isEqualTo(2);
            assertThat(counts.duplicates.get()).isEqualTo(2);
        } finally {
            repairing.stop();
        }
    }

    @Test
    void whenTheHistoryCannotBeReadTheGapIsSkippedAsWithoutOne() {
        InMemoryEventHistory history = new InMemoryEventHistory();
        history.failure.set(new IllegalStateException("neo4j down"));
        EventDispatcher repairing = new EventDispatcher(new EventSettings(REORDER, Duration.ZERO, 100_000, 100_000),
                counts, history);
        try {
            Sink sink = new Sink();
            repairing.subscribe(T, EventKind.SIGNALS, sink);
            repairing.dispatch(List.of(signal(T, 1), signal(T, 3)));

            Eventually.await("3 goes out", WAIT, () -> sink.received.size() == 2);
            assertThat(sink.sequences()).containsExactly(1L, 3L);
            assertThat(counts.gaps.get()).isEqualTo(1);
            assertThat(history.reads.get()).isEqualTo(1);
        } finally {
            repairing.stop();
        }
    }

    @Test
    void afterTheBridgeIsBackEventsLostAtTheTailAreReadBackForEveryTenantWithSubscribers() {
        InMemoryEventHistory history = new InMemoryEventHistory().add(signal(T, 1), signal(T, 2), signal(T, 3),
                signal(U, 1));
        EventDispatcher repairing = new EventDispatcher(new EventSettings(REORDER, Duration.ZERO, 100_000, 100_000),
                counts, history);
        try {
            Sink t = new Sink();
            Sink u = new Sink();
            repairing.subscribe(T, EventKind.SIGNALS, t);
            repairing.subscribe(U, EventKind.SIGNALS, u);
            repairing.dispatch(List.of(signal(T, 1), signal(U, 1)));

            repairing.checkTails();

            Eventually.await("2 and 3 read back", WAIT, () -> t.received.size() == 3);
            assertThat(t.sequences()).containsExactly(1L, 2L, 3L);
            assertThat(u.sequences()).as("nothing missing").containsExactly(1L);
            assertThat(counts.repaired.get()).isEqualTo(2);
        } finally {
            repairing.stop();
        }
    }
}
