package io.coherence.application.events;

import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TenantSequencerTest {

    private static final long WINDOW = 50;

    private final TenantSequencer sequencer = new TenantSequencer(WINDOW);

    private static List<Long> sequences(List<SignalCommitted> events) {
        return events.stream().map(SignalCommitted::sequence).toList();
    }

    @Test
    void eventsInSequenceOrderAreReleasedAtOnce() {
        assertThat(sequences(sequencer.offer(signal(1), 0))).containsExactly(1L);
        assertThat(sequences(sequencer.offer(signal(2), 1))).containsExactly(2L);
        assertThat(sequences(sequencer.offer(signal(3), 2))).containsExactly(3L);

        assertThat(sequencer.waiting()).isFalse();
        assertThat(sequencer.gaps()).isZero();
        assertThat(sequencer.late()).isZero();
    }

    @Test
    void theFirstEventSetsTheBaselineWhateverItsSequence() {
        assertThat(sequences(sequencer.offer(signal(42), 0))).containsExactly(42L);
        assertThat(sequences(sequencer.offer(signal(43), 1))).containsExactly(43L);

        assertThat(sequencer.waiting()).isFalse();
        assertThat(sequencer.gaps()).isZero();
    }

    @Test
    void aGapHoldsLaterEventsUntilTheMissingOneArrivesThenReleasesThemAllInOrder() {
        sequencer.offer(signal(1), 0);

        assertThat(sequencer.offer(signal(4), 1)).isEmpty();
        assertThat(sequencer.offer(signal(3), 2)).isEmpty();
        assertThat(sequencer.waiting()).isTrue();
        assertThat(sequencer.expire(WINDOW - 1)).isEmpty();

        assertThat(sequences(sequencer.offer(signal(2), 3))).containsExactly(2L, 3L, 4L);
        assertThat(sequencer.waiting()).isFalse();
        assertThat(sequencer.gaps()).isZero();
        assertThat(sequencer.late()).isZero();
    }

    @Test
    void aGapNotFilledWithinTheWindowIsReleasedInOrderByExpireAndCounted() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(4), 10);
        sequencer.offer(signal(3), 20);

        assertThat(sequencer.expire(10 + WINDOW - 1)).as("the oldest wait has not reached the window").isEmpty();
        assertThat(sequences(sequencer.expire(10 + WINDOW))).containsExactly(3L, 4L);

        assertThat(sequencer.gaps()).as("sequence 2 was skipped").isEqualTo(1);
        assertThat(sequencer.waiting()).isFalse();
        assertThat(sequences(sequencer.offer(signal(5), 100))).as("the next one after the released").containsExactly(5L);
    }

    @Test
    void expireCountsEveryGapWhenSeveralAreMissing() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(6), 1);
        sequencer.offer(signal(3), 2);
        sequencer.offer(signal(4), 3);

        assertThat(sequences(sequencer.expire(1 + WINDOW))).containsExactly(3L, 4L, 6L);

        assertThat(sequencer.gaps()).as("2 and 5 were skipped").isEqualTo(2);
    }

    @Test
    void eachHeldEventWaitsAtMostTheWindowFromItsOwnArrival() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(3), 0);
        sequencer.offer(signal(5), 40);
        assertThat(sequencer.offer(signal(2), 45)).extracting(SignalCommitted::sequence).containsExactly(2L, 3L);

        assertThat(sequencer.expire(89)).isEmpty();
        assertThat(sequencer.expire(90)).extracting(SignalCommitted::sequence).containsExactly(5L);
        assertThat(sequencer.gaps()).isEqualTo(1);
    }

    @Test
    void expireWithNothingHeldReleasesNothing() {
        sequencer.offer(signal(1), 0);

        assertThat(sequencer.expire(10 * WINDOW)).isEmpty();
        assertThat(sequencer.gaps()).isZero();
    }

    @Test
    void aLateEventIsReleasedImmediatelyAndCounted() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(3), 1);
        sequencer.expire(1 + WINDOW);

        assertThat(sequences(sequencer.offer(signal(2), 2 + WINDOW))).containsExactly(2L);

        assertThat(sequencer.late()).isEqualTo(1);
        assertThat(sequencer.gaps()).isEqualTo(1);
        assertThat(sequences(sequencer.offer(signal(4), 3 + WINDOW))).as("the late event did not move the baseline")
                .containsExactly(4L);
    }

    @Test
    void anEventBelowTheFirstOneIsLate() {
        sequencer.offer(signal(42), 0);

        assertThat(sequences(sequencer.offer(signal(41), 1))).containsExactly(41L);

        assertThat(sequencer.late()).isEqualTo(1);
    }

    @Test
    void moreThanMaxHeldEventsReleasesEverythingHeldInOrder() {
        sequencer.offer(signal(1), 0);
        long firstHeld = 3;
        long lastHeld = firstHeld + TenantSequencer.MAX_HELD - 1;
        for (long seq = lastHeld; seq >= firstHeld; seq--) {
            assertThat(sequencer.offer(signal(seq), 1)).as("held: %d", seq).isEmpty();
        }

        List<SignalCommitted> released = sequencer.offer(signal(lastHeld + 1), 2);

        assertThat(sequences(released)).containsExactlyElementsOf(
                LongStream.rangeClosed(firstHeld, lastHeld + 1).boxed().toList());
        assertThat(sequencer.waiting()).isFalse();
        assertThat(sequencer.gaps()).as("sequence 2 was skipped").isEqualTo(1);
    }
}
