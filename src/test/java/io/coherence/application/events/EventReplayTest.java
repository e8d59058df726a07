package io.coherence.application.events;

import static io.coherence.application.events.Events.TENANT;
import static io.coherence.application.events.Events.TS;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.domain.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EventReplayTest {

    /** Events 1..n are committed at TS + n s (+3 ms); the clock stands 10 s after the last. */
    private static final int STORED = 25;
    private final InMemoryEventHistory history = new InMemoryEventHistory();
    private final Clock clock = Clock.fixed(TS.plusSeconds(STORED + 10), ZoneOffset.UTC);

    EventReplayTest() {
        LongStream.rangeClosed(1, STORED).forEach(s -> history.add(signal(s)));
    }

    private EventReplay replay(long maxEvents, Duration maxAge) {
        return new EventReplay(history, new ReplaySettings(maxEvents, maxAge, 4), clock);
    }

    private static List<Long> all(EventReplay replay, long after, long head) {
        List<Long> out = new ArrayList<>();
        List<SignalCommitted> page;
        long last = after;
        while (!(page = replay.page(TENANT, last, head)).isEmpty()) {
            assertThat(page).hasSizeLessThanOrEqualTo(4);
            for (SignalCommitted e : page) {
                out.add(e.sequence());
                last = e.sequence();
            }
        }
        return out;
    }

    @Test
    void insideTheWindowEveryEventAfterTheResumePointComesInPagesInOrder() {
        EventReplay replay = replay(100, Duration.ofHours(1));

        long head = replay.check(TENANT, 10);

        assertThat(head).isEqualTo(STORED);
        assertThat(all(replay, 10, head)).containsExactlyElementsOf(LongStream.rangeClosed(11, STORED).boxed().toList());
    }

    @Test
    void resumingFromTheHeadReplaysNothingAndFromZeroEverything() {
        EventReplay replay = replay(100, Duration.ofHours(1));

        assertThat(all(replay, STORED, replay.check(TENANT, STORED))).isEmpty();
        assertThat(all(replay, 0, replay.check(TENANT, 0))).hasSize(STORED);
    }

    @Test
    void exactlyMaxEventsBehindIsInsideTheWindowAndOneMoreIsRefused() {
        EventReplay replay = replay(5, Duration.ofHours(1));

        assertThat(replay.check(TENANT, STORED - 5)).isEqualTo(STORED);
        assertThatThrownBy(() -> replay.check(TENANT, STORED - 6))
                .isInstanceOfSatisfying(CoherenceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REPLAY_WINDOW_EXCEEDED);
                    assertThat(e.getMessage()).contains("6 events behind", "at most 5", "after >= 20");
                });
    }

    @Test
    void aFirstMissedEventOlderThanMaxAgeIsRefusedAndOneJustInsideIsNot() {
        // Event 21 was committed at TS + 21 s + 3 ms, 13.997 s before the clock.
        EventReplay replay = replay(100, Duration.ofSeconds(14));

        assertThat(replay.check(TENANT, 20)).isEqualTo(STORED);
        assertThatThrownBy(() -> replay.check(TENANT, 19))
                .isInstanceOfSatisfying(CoherenceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REPLAY_WINDOW_EXCEEDED);
                    assertThat(e.getMessage()).contains("sequence 20", "PT14S");
                });
    }

    @Test
    void aNegativeResumePointOrOneBeyondTheHeadIsBadInputNamingAfter() {
        EventReplay replay = replay(100, Duration.ofHours(1));

        for (long after : new long[] {-1, STORED + 1, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> replay.check(TENANT, after))
                    .isInstanceOfSatisfying(CoherenceException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
                        assertThat(e.violations()).singleElement().satisfies(v -> assertThat(v.field()).isEqualTo("after"));
                    });
        }
    }

    @Test
    void aTenantWithoutEventsCanResumeFromZeroOnly() {
        EventReplay replay = replay(100, Duration.ofHours(1));
        TenantId empty = TenantId.of("tenant-empty");

        assertThat(replay.check(empty, 0)).isZero();
        assertThatThrownBy(() -> replay.check(empty, 1)).isInstanceOf(CoherenceException.class);
    }

    @Test
    void anErasedEventInsideTheWindowIsNotReplayedAndTheRestIs() {
        EventReplay replay = replay(100, Duration.ofHours(1));
        history.remove(TENANT, 22);

        assertThat(all(replay, 20, replay.check(TENANT, 20))).containsExactly(21L, 23L, 24L, 25L);
    }

    @Test
    void anUnreadableHistoryIsStoreUnavailableNotAWindowError() {
        EventReplay replay = replay(100, Duration.ofHours(1));
        history.failure.set(new IllegalStateException("neo4j down"));

        assertThatThrownBy(() -> replay.check(TENANT, 3))
                .isInstanceOfSatisfying(CoherenceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
                    assertThat(e.getMessage()).doesNotContain("neo4j down");
                });
    }

    @Test
    void settingsRefuseNegativeWindowsAndEmptyPages() {
        assertThatThrownBy(() -> new ReplaySettings(-1, Duration.ofHours(1), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplaySettings(1, Duration.ofHours(-1), 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplaySettings(1, Duration.ofHours(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
