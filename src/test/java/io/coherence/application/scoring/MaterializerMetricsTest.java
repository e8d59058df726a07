package io.coherence.application.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaterializerMetricsTest {

    private static final TenantId A = TenantId.of("tenant-a");
    private static final TenantId B = TenantId.of("tenant-b");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        Instant now = T0;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final MaterializerMetrics metrics = new MaterializerMetrics(null, clock);

    @Test
    void theLagIsTheAgeOfTheOldestTenantStillWaitingAndKeepsGrowingWithoutRuns() {
        assertThat(metrics.lagSeconds()).isZero();
        metrics.ran(List.of(A), Set.of(), T0, Duration.ZERO);
        clock.now = T0.plusSeconds(2);
        metrics.ran(List.of(A, B), Set.of(), clock.now, Duration.ZERO);
        clock.now = T0.plusSeconds(30);

        assertThat(metrics.lagSeconds()).isEqualTo(30.0);
    }

    @Test
    void aScoredTenantOrOneAnotherReplicaScoredNoLongerCounts() {
        metrics.ran(List.of(A, B), Set.of(), T0, Duration.ZERO);
        clock.now = T0.plusSeconds(5);
        metrics.ran(List.of(A, B), Set.of(A), clock.now, Duration.ZERO);
        assertThat(metrics.lagSeconds()).isEqualTo(5.0);

        clock.now = T0.plusSeconds(9);
        metrics.ran(List.of(), Set.of(), clock.now, Duration.ZERO);
        assertThat(metrics.lagSeconds()).isZero();
    }
}
