package io.coherence.domain.score;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.domain.signal.Signal;
import io.coherence.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScoreHistoryTest {

    private static final TenantId ACME = TenantId.of("acme");
    private static final long DAY = 24 * 60;
    private static final Instant T0 = Instant.parse("2026-12-03T00:00:00Z");

    private record Raw(Instant ts, double value, double weight) {
    }

    /** The per-minute sums as the store keeps them: weights capped, one entry per minute. */
    private static List<MinuteTotals> bucket(List<Raw> signals) {
        Map<Long, double[]> byMinute = new TreeMap<>();
        for (Raw s : signals) {
            double weight = Math.min(s.weight(), Signal.MAX_WEIGHT);
            double[] m = byMinute.computeIfAbsent(Math.floorDiv(s.ts().getEpochSecond(), 60), k -> new double[3]);
            m[0] += s.value() * weight;
            m[1] += weight;
            m[2]++;
        }
        List<MinuteTotals> out = new ArrayList<>();
        byMinute.forEach((minute, m) -> out.add(new MinuteTotals(minute, m[0], m[1], (long) m[2])));
        return out;
    }

    /** The reference: the seed's weighted mean of the raw signals in [at − 24 h, at). */
    private static CoherenceScore reference(List<Raw> signals, Instant at) {
        List<WeightedValue> window = signals.stream()
                .filter(s -> !s.ts().isBefore(at.minus(Duration.ofHours(24))) && s.ts().isBefore(at))
                .map(s -> new WeightedValue(s.value(), s.weight())).toList();
        return ScoreCalculator.score(ACME, ScoreCalculator.totals(window), at);
    }

    private static long minute(Instant at) {
        return at.getEpochSecond() / 60;
    }

    @Test
    void everyPointIsTheWeightedMeanOfTheRawSignalsInThe24HoursBeforeIt() {
        Random random = new Random(18);
        List<Raw> signals = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            Instant ts = T0.minus(Duration.ofHours(24)).plusMillis((long) (random.nextDouble() * Duration.ofHours(48).toMillis()));
            signals.add(new Raw(ts, random.nextInt(101) / 100.0, 0.5 + random.nextInt(20) / 4.0));
        }
        List<CoherencePoint> points = ScoreHistory.points(ACME, bucket(signals), minute(T0), minute(T0) + 720, 7, DAY);

        assertThat(points).hasSize(720 / 7 + 1);
        for (CoherencePoint p : points) {
            CoherenceScore expected = reference(signals, p.at());
            assertThat(p.score()).as("at %s", p.at()).isEqualTo(expected.score());
            assertThat(p.status()).isEqualTo(expected.status());
            long inWindow = signals.stream().filter(s -> !s.ts().isBefore(p.at().minus(Duration.ofHours(24)))
                    && s.ts().isBefore(p.at())).count();
            assertThat(p.signals()).isEqualTo(inWindow);
        }
    }

    @Test
    void aSignalAtTheWindowsStartCountsAndOneAtItsEndDoesNot() {
        Instant at = T0.plus(Duration.ofMinutes(10));
        List<Raw> signals = List.of(
                new Raw(at.minus(Duration.ofHours(24)), 1.0, 1.0),            // first instant of the window
                new Raw(at.minus(Duration.ofHours(24)).minusMillis(1), 0.0, 5.0), // just before it
                new Raw(at.minusMillis(1), 0.5, 1.0),                          // last instant of the window
                new Raw(at, 0.0, 100.0));                                      // the point's own instant: next window

        CoherencePoint p = ScoreHistory.points(ACME, bucket(signals), minute(at), minute(at), 1, DAY).get(0);

        assertThat(p.signals()).isEqualTo(2);
        assertThat(p.score()).isEqualTo(0.75);
        assertThat(p.status()).isEqualTo(ScoreStatus.HEALTHY);
    }

    @Test
    void anEmptyWindowIsUnknownWithScoreZeroAndTheLastPointIsTo() {
        List<Raw> signals = List.of(new Raw(T0.plusSeconds(30), 0.4, 2.0));

        List<CoherencePoint> points = ScoreHistory.points(ACME, bucket(signals), minute(T0) - 5, minute(T0) + 5, 5, DAY);

        assertThat(points).extracting(CoherencePoint::at).containsExactly(T0.minus(Duration.ofMinutes(5)), T0,
                T0.plus(Duration.ofMinutes(5)));
        assertThat(points.get(0)).isEqualTo(new CoherencePoint(T0.minus(Duration.ofMinutes(5)), 0.0, ScoreStatus.UNKNOWN, 0));
        assertThat(points.get(1).status()).isEqualTo(ScoreStatus.UNKNOWN);
        assertThat(points.get(2)).isEqualTo(new CoherencePoint(T0.plus(Duration.ofMinutes(5)), 0.4, ScoreStatus.CRITICAL, 1));
    }

    @Test
    void hugeWeightsStayFiniteAsInTheLiveScore() {
        List<Raw> signals = List.of(new Raw(T0.minusSeconds(60), 1.0, Signal.MAX_WEIGHT),
                new Raw(T0.minusSeconds(30), 0.0, Signal.MAX_WEIGHT));

        CoherencePoint p = ScoreHistory.points(ACME, bucket(signals), minute(T0), minute(T0), 1, DAY).get(0);

        assertThat(p.score()).isEqualTo(reference(signals, T0).score()).isEqualTo(0.5);
    }

    @Test
    void minutesOutsideTheRangeAreIgnoredAndABadRangeIsRefused() {
        List<MinuteTotals> stray = List.of(new MinuteTotals(minute(T0) + 100, 1.0, 1.0, 1),
                new MinuteTotals(minute(T0) - DAY - 1, 1.0, 1.0, 1));

        assertThat(ScoreHistory.points(ACME, stray, minute(T0), minute(T0) + 10, 10, DAY))
                .allSatisfy(p -> assertThat(p.signals()).isZero());
        assertThatThrownBy(() -> ScoreHistory.points(ACME, stray, minute(T0), minute(T0) - 1, 1, DAY))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScoreHistory.points(ACME, stray, minute(T0), minute(T0), 0, DAY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
