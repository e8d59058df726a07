package io.coherence.application.events;

import static io.coherence.application.events.Events.TENANT;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.UncountedFanout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ticker and dispatch() work on the same channel from two threads. */
class EventDispatcherTickerTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ROUNDS = 200;

    private final EventDispatcher dispatcher = new EventDispatcher(
            new EventSettings(Duration.ofNanos(1), Duration.ZERO, 1_000_000_000L, 1_000_000_000L), UncountedFanout.INSTANCE);

    @AfterEach
    void stopTicker() {
        dispatcher.stop();
    }

    /**
     * Each round holds one event behind a gap (the 1 ns reorder window lets the next tick release
     * it) and dispatches the next one the moment it was delivered, while the ticker is still
     * finishing that tick. An event held then must still be released by a later tick.
     */
    @Test
    void anEventHeldWhileTheTickerFinishesReleasingThePreviousOneIsStillReleased() {
        AtomicInteger delivered = new AtomicInteger();
        dispatcher.subscribe(TENANT, EventKind.SIGNALS, new EventSink() {
            @Override
            public void accept(CoherenceEvent event) {
                delivered.incrementAndGet();
            }

            @Override
            public void missed(long count, String reason) {
            }
        });
        dispatcher.dispatch(List.of(signal(1)));

        for (int round = 1; round <= ROUNDS; round++) {
            int before = delivered.get();
            dispatcher.dispatch(List.of(signal(1 + 2L * round)));

            assertThat(spinUntil(() -> delivered.get() > before))
                    .as("round %d: the held event was released within %s", round, WAIT).isTrue();
        }
    }

    /**
     * Polls without pausing, unlike Eventually: the next dispatch has to land within the
     * sub-microsecond gap between the ticker's delivery and the end of its tick.
     */
    private static boolean spinUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
