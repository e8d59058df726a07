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

    @Test
    void aGapPastTheWindowIsOfferedForRepairOnceAndTheRepairedEventsGoOutInOrder() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(4), 10);

        assertThat(sequencer.gapToRepair(WINDOW + 9)).as("inside the window").isNull();
        assertThat(sequencer.gapToRepair(WINDOW + 10)).containsExactly(2L, 3L);
        assertThat(sequencer.gapToRepair(WINDOW + 500)).as("one repair at a time").isNull();
        assertThat(sequencer.expire(WINDOW + 500)).as("a repair's gap is not for expire").isNotEmpty();
    }

    @Test
    void repairedEventsFillTheGapAndTheBridgesLateCopiesAreDroppedNotSentTwice() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(4), 10);
        sequencer.offer(signal(5), 11);
        sequencer.gapToRepair(WINDOW + 10);

        assertThat(sequences(sequencer.repaired(List.of(signal(2), signal(3)), WINDOW + 20))).containsExactly(2L, 3L, 4L, 5L);
        assertThat(sequencer.offer(signal(3), WINDOW + 30)).as("the bridge's copy of 3").isEmpty();
        assertThat(sequencer.offer(signal(2), WINDOW + 31)).isEmpty();
        assertThat(sequences(sequencer.offer(signal(6), WINDOW + 32))).containsExactly(6L);

        assertThat(sequencer.gaps()).isZero();
        assertThat(sequencer.late()).isZero();
        assertThat(sequencer.repairedEvents()).isEqualTo(2);
        assertThat(sequencer.duplicates()).isEqualTo(2);
        assertThat(sequencer.waiting()).isFalse();
    }

    @Test
    void aRepairThatCannotReadOrFindsNothingReleasesTheHeldEventsAndCountsTheGap() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(4), 10);
        sequencer.gapToRepair(WINDOW + 10);

        assertThat(sequences(sequencer.repaired(null, WINDOW + 20))).containsExactly(4L);
        assertThat(sequencer.gaps()).isEqualTo(2);

        sequencer.offer(signal(7), WINDOW + 30);
        sequencer.gapToRepair(2 * WINDOW + 30);
        assertThat(sequences(sequencer.repaired(List.of(), 2 * WINDOW + 40))).as("erased: not in the store").containsExactly(7L);
        assertThat(sequencer.gaps()).isEqualTo(4);
        assertThat(sequencer.repairedEvents()).isZero();
    }

    @Test
    void aLateEventThatNoRepairSentIsStillSentLate() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(4), 10);
        sequencer.gapToRepair(WINDOW + 10);
        // The store had 3 but not 2 (yet to be found, or erased): 2 is skipped, 3 and 4 go out.
        assertThat(sequences(sequencer.repaired(List.of(signal(3)), WINDOW + 20))).containsExactly(3L, 4L);
        assertThat(sequencer.gaps()).isEqualTo(1);

        assertThat(sequences(sequencer.offer(signal(2), WINDOW + 30))).as("2 was skipped, not repaired").containsExactly(2L);
        assertThat(sequencer.late()).isEqualTo(1);
    }

    @Test
    void aPartialRepairSendsWhatBecameContiguousAndAsksForTheRestAtOnce() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(5), 10);
        sequencer.gapToRepair(WINDOW + 10);

        assertThat(sequences(sequencer.repaired(List.of(signal(2), signal(3)), WINDOW + 20))).containsExactly(2L, 3L);
        assertThat(sequencer.gapToRepair(WINDOW + 20)).as("progress: the rest is repaired next").containsExactly(4L, 4L);
        assertThat(sequences(sequencer.repaired(List.of(signal(4)), WINDOW + 21))).containsExactly(4L, 5L);
        assertThat(sequencer.gaps()).isZero();
        assertThat(sequencer.repairedEvents()).isEqualTo(3);
    }

    @Test
    void aCopyOfAHeldEventIsDroppedNotHeldTwice() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(3), 1);

        assertThat(sequencer.offer(signal(3), 2)).isEmpty();
        assertThat(sequences(sequencer.offer(signal(2), 3))).containsExactly(2L, 3L);
        assertThat(sequencer.duplicates()).isEqualTo(1);
    }

    @Test
    void eventsLostAtTheTailAreOfferedForRepairUpToTheHeadAndTheirLateCopiesDropped() {
        sequencer.offer(signal(1), 0);
        sequencer.offer(signal(2), 1);

        assertThat(sequencer.tailGap(5)).containsExactly(3L, 5L);
        assertThat(sequencer.tailGap(5)).as("one repair at a time").isNull();
        assertThat(sequences(sequencer.repaired(List.of(signal(3), signal(4), signal(5)), 10))).containsExactly(3L, 4L, 5L);
        assertThat(sequencer.offer(signal(4), 11)).as("the bridge's late copy").isEmpty();
        assertThat(sequences(sequencer.offer(signal(6), 12))).containsExactly(6L);
        assertThat(sequencer.repairedEvents()).isEqualTo(3);
        assertThat(sequencer.gaps()).isZero();
    }

    @Test
    void noTailRepairBeforeTheFirstEventNorWhileEventsAreHeldNorWhenNothingIsMissing() {
        assertThat(sequencer.tailGap(9)).as("no baseline yet").isNull();
        sequencer.offer(signal(1), 0);
        assertThat(sequencer.tailGap(1)).as("nothing missing").isNull();
        sequencer.offer(signal(3), 1);
        assertThat(sequencer.tailGap(9)).as("a gap repair's business").isNull();
    }

    @Test
    void aTailRepairWithAnErasedEventSendsWhatItFoundAndSkipsTheErasedOneAfterTheNextRepair() {
        sequencer.offer(signal(1), 0);
        sequencer.tailGap(4);

        assertThat(sequences(sequencer.repaired(List.of(signal(2), signal(4)), 10))).containsExactly(2L);
        assertThat(sequencer.gapToRepair(10)).as("the hole, at once").containsExactly(3L, 3L);
        assertThat(sequences(sequencer.repaired(List.of(), 11))).containsExactly(4L);
        assertThat(sequencer.gaps()).isEqualTo(1);
        assertThat(sequencer.waiting()).isFalse();
    }
}
