package io.coherence.application.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MaterializerMetricsTest {

    private static final TenantId A = TenantId.of("tenant-a");
    private static final TenantId B = TenantId.of("tenant-b");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /** A clock the test moves. */
    private final MovableClock clock = new MovableClock(T0);
    private final MaterializerMetrics metrics = new MaterializerMetrics(null, clock);

    @Test
    void theLagIsTheAgeOfTheOldestTenantStillWaitingAndKeepsGrowingWithoutRuns() {
        assertThat(metrics.lagSeconds()).isZero();
        metrics.ran(List.of(A), Set.of(), T0, Duration.ZERO);
        clock.set(T0.plusSeconds(2));
        metrics.ran(List.of(A, B), Set.of(), clock.instant(), Duration.ZERO);
        clock.set(T0.plusSeconds(30));

        assertThat(metrics.lagSeconds()).isEqualTo(30.0);
    }

    @Test
    void aScoredTenantOrOneAnotherReplicaScoredNoLongerCounts() {
        metrics.ran(List.of(A, B), Set.of(), T0, Duration.ZERO);
        clock.set(T0.plusSeconds(5));
        metrics.ran(List.of(A, B), Set.of(A), clock.instant(), Duration.ZERO);
        assertThat(metrics.lagSeconds()).isEqualTo(5.0);

        clock.set(T0.plusSeconds(9));
        metrics.ran(List.of(), Set.of(), clock.instant(), Duration.ZERO);
        assertThat(metrics.lagSeconds()).isZero();
    }

    @Test
    void whileBlockedTheLagIsTheLongerOfTheBlockAndTheOldestPendingTenant() {
        metrics.ran(List.of(A), Set.of(), T0, Duration.ZERO);
        clock.set(T0.plusSeconds(10));
        assertThat(metrics.blocked(clock.instant(), new IllegalStateException("down"))).as("first blocked tick").isTrue();
        clock.set(T0.plusSeconds(12));
        assertThat(metrics.blocked(clock.instant(), new IllegalStateException("down"))).as("later ticks").isFalse();
        clock.set(T0.plusSeconds(40));

        assertThat(metrics.lagSeconds()).as("tenant A has waited since T0").isEqualTo(40.0);
        assertThat(metrics.status().blockedSince()).isEqualTo(T0.plusSeconds(10));

        assertThat(metrics.unblocked(clock.instant())).isEqualTo(Duration.ofSeconds(30));
        assertThat(metrics.unblocked(clock.instant())).isNull();
        assertThat(metrics.status().state()).isEqualTo("running");
    }

    @Test
    void blockedWithNothingPendingStillReportsHowLongItCouldNotRun() {
        metrics.blocked(T0, new IllegalStateException("down"));
        clock.set(T0.plusSeconds(7));

        assertThat(metrics.lagSeconds()).isEqualTo(7.0);
        assertThat(metrics.status().state()).isEqualTo("blocked");
    }
}
