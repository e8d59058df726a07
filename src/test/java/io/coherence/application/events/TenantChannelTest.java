package io.coherence.application.events;

import static io.coherence.application.events.Events.TENANT;
import static io.coherence.application.events.Events.score;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Time is explicit nanos passed to offer/tick; only the rate limit's bucket reads the real clock. */
class TenantChannelTest {

    private static final Duration REORDER = Duration.ofNanos(100);
    private static final long UNLIMITED = 1_000_000;

    private final Counts counts = new Counts();

    private TenantChannel channel(Duration coalesce, long perSecond, long burst) {
        return new TenantChannel(new EventSettings(REORDER, coalesce, perSecond, burst), counts);
    }

    private TenantChannel channel() {
        return channel(Duration.ZERO, UNLIMITED, UNLIMITED);
    }

    private static final class Sink implements EventSink {

        final List<CoherenceEvent> received = new ArrayList<>();
        final List<String> missed = new ArrayList<>();

        @Override
        public void accept(CoherenceEvent event) {
            received.add(event);
        }

        @Override
        public void missed(long count, String reason) {
            for (long i = 0; i < count; i++) {
                missed.add(reason);
            }
        }

        List<Long> sequences() {
            return received.stream().map(e -> ((SignalCommitted) e).sequence()).toList();
        }
    }

    private static final class Counts implements FanoutCounts {

        final Map<String, Long> dropped = new HashMap<>();
        long gaps;
        long late;

        @Override
        public void dropped(String reason, long count) {
            dropped.merge(reason, count, Long::sum);
        }

        @Override
        public void outOfOrder(long gaps, long late) {
            this.gaps += gaps;
            this.late += late;
        }
    }

    @Test
    void eventsReachOnlySubscribersOfTheirKind() {
        TenantChannel channel = channel();
        Sink signals = new Sink();
        Sink scores = new Sink();
        channel.add(EventKind.SIGNALS, signals);
        channel.add(EventKind.SCORES, scores);
        ScoreChanged score = score(TENANT, 0.8, 1);

        channel.offer(signal(1), 0);
        channel.offer(score, 1);
        channel.offer(signal(2), 2);

        assertThat(signals.received).containsExactly(signal(1), signal(2));
        assertThat(scores.received).containsExactly(score);
    }

    @Test
    void signalsOfferedOutOfOrderReachEverySubscriberInSequenceOrder() {
        TenantChannel channel = channel();
        Sink first = new Sink();
        Sink second = new Sink();
        channel.add(EventKind.SIGNALS, first);
        channel.add(EventKind.SIGNALS, second);

        channel.offer(signal(1), 0);
        channel.offer(signal(3), 1);
        channel.offer(signal(4), 2);
        assertThat(channel.tick(3)).as("3 and 4 wait for 2").isTrue();
        assertThat(first.sequences()).containsExactly(1L);
        channel.offer(signal(2), 4);

        assertThat(first.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(second.sequences()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(channel.tick(5)).as("nothing waits any more").isFalse();
        assertThat(counts.gaps).isZero();
    }

    @Test
    void aSignalWhosePredecessorNeverComesIsDeliveredByTickAfterTheReorderWindowAndTheGapIsCounted() {
        TenantChannel channel = channel();
        Sink sink = new Sink();
        channel.add(EventKind.SIGNALS, sink);
        long window = REORDER.toNanos();

        channel.offer(signal(1), 0);
        channel.offer(signal(3), 10);
        assertThat(channel.tick(10 + window - 1)).isTrue();
        assertThat(sink.sequences()).containsExactly(1L);

        assertThat(channel.tick(10 + window)).isFalse();

        assertThat(sink.sequences()).containsExactly(1L, 3L);
        assertThat(counts.gaps).isEqualTo(1);
        assertThat(counts.late).isZero();
    }

    @Test
    void aLateSignalIsStillDeliveredAndCounted() {
        TenantChannel channel = channel();
        Sink sink = new Sink();
        channel.add(EventKind.SIGNALS, sink);
        channel.offer(signal(1), 0);
        channel.offer(signal(3), 1);
        channel.tick(1 + REORDER.toNanos());

        channel.offer(signal(2), 2 + REORDER.toNanos());

        assertThat(sink.sequences()).containsExactly(1L, 3L, 2L);
        assertThat(counts.late).isEqualTo(1);
    }

    @Test
    void gapsSkippedBecauseTooManySignalsWereHeldAreCounted() {
        TenantChannel channel = new TenantChannel(
                new EventSettings(Duration.ofHours(1), Duration.ZERO, UNLIMITED, UNLIMITED), counts);
        Sink sink = new Sink();
        channel.add(EventKind.SIGNALS, sink);
        channel.offer(signal(1), 0);

        long last = 3 + TenantSequencer.MAX_HELD;
        for (long seq = 3; seq <= last; seq++) {
            channel.offer(signal(seq), seq);
        }

        assertThat(sink.received).hasSize(1 + TenantSequencer.MAX_HELD + 1);
        assertThat(sink.sequences()).isSorted().doesNotContain(2L);
        assertThat(counts.gaps).as("sequence 2 was skipped").isEqualTo(1);
    }

    @Test
    void aScoreOlderThanTheLastDeliveredOneIsNotDelivered() {
        TenantChannel channel = channel();
        Sink sink = new Sink();
        channel.add(EventKind.SCORES, sink);
        ScoreChanged current = score(TENANT, 0.8, 10);
        ScoreChanged older = score(TENANT, 0.3, 5);
        ScoreChanged newer = score(TENANT, 0.6, 20);

        channel.offer(current, 0);
        channel.offer(older, 1);
        channel.offer(newer, 2);

        assertThat(sink.received).containsExactly(current, newer);
    }

    @Test
    void theEventPastTheBurstIsNotDeliveredAndEverySubscriberIsToldItMissedIt() {
        TenantChannel channel = channel(Duration.ZERO, 1, 3);
        Sink first = new Sink();
        Sink second = new Sink();
        channel.add(EventKind.SIGNALS, first);
        channel.add(EventKind.SIGNALS, second);

        for (long seq = 1; seq <= 4; seq++) {
            channel.offer(signal(seq), seq);
        }

        assertThat(first.sequences()).containsExactly(1L, 2L, 3L);
        assertThat(second.sequences()).containsExactly(1L, 2L, 3L);
        assertThat(first.missed).containsExactly(TenantChannel.RATE_LIMITED);
        assertThat(second.missed).containsExactly(TenantChannel.RATE_LIMITED);
        assertThat(counts.dropped).containsExactly(Map.entry("EVENTS_RATE_LIMITED", 2L));
    }

    @Test
    void aRateLimitedSignalCountsOnlyTheSubscribersThatWouldHaveReceivedIt() {
        TenantChannel channel = channel(Duration.ZERO, 1, 1);
        Sink signals = new Sink();
        Sink scores = new Sink();
        channel.add(EventKind.SIGNALS, signals);
        channel.add(EventKind.SCORES, scores);

        channel.offer(signal(1), 0);
        channel.offer(signal(2), 1);

        assertThat(signals.sequences()).containsExactly(1L);
        assertThat(signals.missed).containsExactly(TenantChannel.RATE_LIMITED);
        assertThat(scores.missed).as("a score subscription misses no signal").isEmpty();
        assertThat(counts.dropped).as("one subscription missed one event")
                .containsExactly(Map.entry(TenantChannel.RATE_LIMITED, (long) signals.missed.size()));
    }

    @Test
    void withACoalesceWindowEventsWaitForTheTickAtTheEndOfTheWindowThenGoOutInOrder() {
        long window = 1_000;
        TenantChannel channel = channel(Duration.ofNanos(window), UNLIMITED, UNLIMITED);
        Sink signals = new Sink();
        Sink scores = new Sink();
        channel.add(EventKind.SIGNALS, signals);
        channel.add(EventKind.SCORES, scores);
        ScoreChanged score = score(TENANT, 0.9, 1);

        channel.offer(signal(1), 0);
        channel.offer(signal(2), 10);
        channel.offer(score, 20);
        channel.offer(signal(3), 30);
        assertThat(channel.tick(window - 1)).as("the batch still waits").isTrue();
        assertThat(signals.received).isEmpty();
        assertThat(scores.received).isEmpty();

        assertThat(channel.tick(window)).isFalse();

        assertThat(signals.sequences()).containsExactly(1L, 2L, 3L);
        assertThat(scores.received).containsExactly(score);
    }

    @Test
    void aNewCoalesceWindowStartsWithTheFirstEventAfterABatchWentOut() {
        long window = 1_000;
        TenantChannel channel = channel(Duration.ofNanos(window), UNLIMITED, UNLIMITED);
        Sink sink = new Sink();
        channel.add(EventKind.SIGNALS, sink);
        channel.offer(signal(1), 0);
        channel.tick(window);

        channel.offer(signal(2), 5 * window);
        channel.tick(6 * window - 1);
        assertThat(sink.sequences()).containsExactly(1L);
        channel.tick(6 * window);

        assertThat(sink.sequences()).containsExactly(1L, 2L);
    }
}
