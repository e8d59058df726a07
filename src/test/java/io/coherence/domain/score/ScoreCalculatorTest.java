package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoreCalculatorTest {

    private static final TenantId TENANT = TenantId.of("tenant-a");
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final BigDecimal HEALTHY_AT = new BigDecimal("0.75");
    private static final BigDecimal WARN_AT = new BigDecimal("0.50");

    private static CoherenceScore scoreOf(WeightedValue... items) {
        return ScoreCalculator.score(TENANT, ScoreCalculator.totals(List.of(items)), AT);
    }

    private static WeightedValue v(double value, double weight) {
        return new WeightedValue(value, weight);
    }

    @Test
    void theWindowIsTwentyFourHoursAndScoresKeepTwoDecimals() {
        assertThat(ScoreCalculator.DEFAULT_WINDOW).isEqualTo(Duration.ofHours(24));
        assertThat(ScoreCalculator.SCALE).isEqualTo(2);
    }

    @Test
    void totalsSumValueTimesWeightAndWeightAndCount() {
        WindowTotals totals = ScoreCalculator.totals(List.of(v(0.5, 2.0), v(0.25, 4.0), v(1.0, 0.5)));

        assertThat(totals.weightedValueSum()).isCloseTo(1.0 + 1.0 + 0.5, within(1e-12));
        assertThat(totals.weightSum()).isCloseTo(6.5, within(1e-12));
        assertThat(totals.count()).isEqualTo(3);
    }

    @Test
    void totalsOfNothingAreEmpty() {
        assertThat(ScoreCalculator.totals(List.of())).isEqualTo(WindowTotals.EMPTY);
        assertThat(WindowTotals.EMPTY).isEqualTo(new WindowTotals(0.0, 0.0, 0));
    }

    @Test
    void scoreIsTheWeightedMeanOfTheValues() {
        // (0.2·1 + 0.8·3) / 4 = 0.65
        CoherenceScore score = scoreOf(v(0.2, 1.0), v(0.8, 3.0));

        assertThat(score.score()).isEqualTo(0.65);
        assertThat(score.status()).isEqualTo(ScoreStatus.WARN);
        assertThat(score.tenant()).isEqualTo(TENANT);
        assertThat(score.updatedAt()).isEqualTo(AT);
    }

    @Test
    void weightOneIsThePlainMeanAndWeightTwoCountsLikeTwoSignals() {
        assertThat(scoreOf(v(0.2, 1.0), v(0.4, 1.0), v(0.9, 1.0)).score()).isEqualTo(0.5);
        assertThat(scoreOf(v(0.9, 2.0), v(0.3, 1.0)))
                .isEqualTo(scoreOf(v(0.9, 1.0), v(0.9, 1.0), v(0.3, 1.0)));
        assertThat(scoreOf(v(0.9, 2.0), v(0.3, 1.0)).score()).isEqualTo(0.7);
    }

    @Test
    void scalingEveryWeightAlikeChangesNothing() {
        assertThat(scoreOf(v(0.1, 0.5), v(0.7, 1.5)).score())
                .isEqualTo(scoreOf(v(0.1, 5.0), v(0.7, 15.0)).score())
                .isEqualTo(0.55);
    }

    @ParameterizedTest(name = "mean {0} rounds to {1}")
    @CsvSource({
            "0.125, 0.13",
            "0.124, 0.12",
            "0.005, 0.01",
            "0.0049, 0.0",
            "0.994, 0.99",
            "0.995, 1.0",
            "0.333333, 0.33",
            "0.666666, 0.67",
            "0.0, 0.0",
            "1.0, 1.0"
    })
    void roundsHalfUpToTwoDecimals(double mean, double rounded) {
        assertThat(scoreOf(v(mean, 1.0)).score()).isEqualTo(rounded);
    }

    @ParameterizedTest(name = "mean {0} -> {1} {2}")
    @CsvSource({
            "1.0,    1.0,  HEALTHY",
            "0.75,   0.75, HEALTHY",
            "0.749,  0.75, HEALTHY",
            "0.745,  0.75, HEALTHY",
            "0.7449, 0.74, WARN",
            "0.74,   0.74, WARN",
            "0.5,    0.5,  WARN",
            "0.495,  0.5,  WARN",
            "0.4949, 0.49, CRITICAL",
            "0.49,   0.49, CRITICAL",
            "0.0,    0.0,  CRITICAL"
    })
    void statusIsJudgedOnTheRoundedScore(double mean, double rounded, ScoreStatus status) {
        CoherenceScore score = scoreOf(v(mean, 1.0));

        assertThat(score.score()).isEqualTo(rounded);
        assertThat(score.status()).isEqualTo(status);
    }

    @Test
    void thresholdsAreInclusiveAtTheirLowerBound() {
        assertThat(ScoreStatus.HEALTHY_AT).isEqualTo(0.75);
        assertThat(ScoreStatus.WARN_AT).isEqualTo(0.5);
        assertThat(ScoreStatus.of(1.0)).isEqualTo(ScoreStatus.HEALTHY);
        assertThat(ScoreStatus.of(0.75)).isEqualTo(ScoreStatus.HEALTHY);
        assertThat(ScoreStatus.of(Math.nextDown(0.75))).isEqualTo(ScoreStatus.WARN);
        assertThat(ScoreStatus.of(0.5)).isEqualTo(ScoreStatus.WARN);
        assertThat(ScoreStatus.of(Math.nextDown(0.5))).isEqualTo(ScoreStatus.CRITICAL);
        assertThat(ScoreStatus.of(0.0)).isEqualTo(ScoreStatus.CRITICAL);
    }

    @Test
    void anEmptyWindowScoresZeroWithStatusUnknown() {
        CoherenceScore score = ScoreCalculator.score(TENANT, WindowTotals.EMPTY, AT);

        assertThat(score).isEqualTo(new CoherenceScore(TENANT, 0.0, ScoreStatus.UNKNOWN, AT));
        assertThat(score).isEqualTo(CoherenceScore.unknown(TENANT, AT));
        assertThat(scoreOf()).isEqualTo(score);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, -0.0})
    void noTotalWeightScoresZeroWithStatusUnknown(double weightSum) {
        CoherenceScore score = ScoreCalculator.score(TENANT, new WindowTotals(0.0, weightSum, 3), AT);

        assertThat(score.score()).isZero();
        assertThat(score.status()).isEqualTo(ScoreStatus.UNKNOWN);
    }

    static Stream<Arguments> halfWayMeans() {
        return Stream.of(
                Arguments.of(List.of(v(0.495, 1.0), v(0.495, 1.0), v(0.495, 1.0)), 0.5, ScoreStatus.WARN),
                Arguments.of(List.of(v(0.0, 3.0), v(0.99, 3.0)), 0.5, ScoreStatus.WARN),
                Arguments.of(List.of(v(0.01, 1.0), v(0.06, 1.0)), 0.04, ScoreStatus.CRITICAL),
                Arguments.of(List.of(v(0.005, 0.1), v(0.005, 0.2)), 0.01, ScoreStatus.CRITICAL));
    }

    /**
     * The mean of these signals is exactly half-way between two hundredths (0.495, 0.495, 0.035,
     * 0.005): half-up must round it up, whatever binary rounding the sums went through.
     */
    @ParameterizedTest
    @MethodSource("halfWayMeans")
    void aMeanExactlyHalfWayRoundsUp(List<WeightedValue> signals, double rounded, ScoreStatus status) {
        CoherenceScore score = ScoreCalculator.score(TENANT, ScoreCalculator.totals(signals), AT);

        assertThat(score.score()).isEqualTo(rounded);
        assertThat(score.status()).isEqualTo(status);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20260301L})
    void matchesAnExactDecimalReferenceOnRandomWindows(long seed) {
        Random random = new Random(seed);
        for (int c = 0; c < 200; c++) {
            int n = 1 + random.nextInt(500);
            List<WeightedValue> items = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                items.add(v(randomValue(random), 10.0 * (1.0 - random.nextDouble())));
            }
            WindowTotals totals = ScoreCalculator.totals(items);
            CoherenceScore actual = ScoreCalculator.score(TENANT, totals, AT);
            Reference expected = Reference.of(items);

            String where = "seed " + seed + ", case " + c + ", " + n + " signals";
            assertThat(totals.count()).as(where).isEqualTo(n);
            assertThat(totals.weightSum()).as(where).isCloseTo(expected.weightSum.doubleValue(), within(1e-9));
            assertThat(actual.score()).as(where).isEqualTo(expected.score.doubleValue());
            assertThat(actual.status()).as(where).isEqualTo(expected.status);
        }
    }

    /** Mostly uniform in [0, 1), with the bounds 0 and 1 themselves now and then. */
    private static double randomValue(Random random) {
        int pick = random.nextInt(40);
        if (pick == 0) {
            return 0.0;
        }
        return pick == 1 ? 1.0 : random.nextDouble();
    }

    /** The score worked out in decimal arithmetic, from the definition, without the production code. */
    private record Reference(BigDecimal weightSum, BigDecimal score, ScoreStatus status) {

        static Reference of(List<WeightedValue> items) {
            BigDecimal weighted = BigDecimal.ZERO;
            BigDecimal weights = BigDecimal.ZERO;
            for (WeightedValue item : items) {
                BigDecimal w = BigDecimal.valueOf(item.weight());
                weighted = weighted.add(BigDecimal.valueOf(item.value()).multiply(w, MathContext.DECIMAL128),
                        MathContext.DECIMAL128);
                weights = weights.add(w, MathContext.DECIMAL128);
            }
            BigDecimal score = weighted.divide(weights, MathContext.DECIMAL128).setScale(2, RoundingMode.HALF_UP);
            ScoreStatus status = score.compareTo(HEALTHY_AT) >= 0 ? ScoreStatus.HEALTHY
                    : score.compareTo(WARN_AT) >= 0 ? ScoreStatus.WARN : ScoreStatus.CRITICAL;
            return new Reference(weights, score, status);
        }
    }

    /** The numbers a hostile or careless client may send: the score stays a number in [0, 1]. */
    @ParameterizedTest
    @MethodSource("extremeWindows")
    void extremeWeightsAndValuesNeverMakeTheScoreNaNOrInfinite(List<WeightedValue> signals, double expected) {
        CoherenceScore score = scoreOf(signals.toArray(WeightedValue[]::new));

        assertThat(score.score()).isBetween(0.0, 1.0).isCloseTo(expected, within(0.005));
        assertThat(score.status()).isEqualTo(ScoreStatus.of(score.score()));
    }

    static Stream<Arguments> extremeWindows() {
        List<WeightedValue> manyHuge = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            manyHuge.add(v(i % 2 == 0 ? 1.0 : 0.5, Double.MAX_VALUE));
        }
        return Stream.of(
                Arguments.of(List.of(v(0.9, 1e308), v(0.3, 1e308)), 0.6),
                Arguments.of(List.of(v(1.0, Double.MAX_VALUE), v(0.0, Double.MAX_VALUE)), 0.5),
                Arguments.of(manyHuge, 0.75),
                // A weight above the maximum counts as the maximum, like every other store read.
                Arguments.of(List.of(v(1.0, 1e308), v(0.0, 1e6)), 0.5),
                Arguments.of(List.of(v(0.8, 1e-300), v(0.4, 1e-300)), 0.6),
                Arguments.of(List.of(v(0.8, 1e-300), v(0.2, 1.0)), 0.2),
                Arguments.of(List.of(v(1.0, Double.MIN_VALUE)), 1.0),
                Arguments.of(List.of(v(Double.MIN_VALUE, 1.0), v(Double.MIN_VALUE, 2.0)), 0.0),
                Arguments.of(List.of(v(1.0, Double.MIN_NORMAL), v(0.0, Double.MIN_NORMAL)), 0.5));
    }

    @Test
    void zeroWeightsCountForNothing() {
        assertThat(scoreOf(v(0.9, 0.0), v(0.1, 0.0))).isEqualTo(CoherenceScore.unknown(TENANT, AT));
        assertThat(scoreOf(v(0.9, 0.0), v(0.7, 2.0)).score()).isEqualTo(0.7);
    }

    /** Sums a store reports are checked, so a broken store fails loudly rather than storing NaN. */
    @ParameterizedTest
    @CsvSource({"NaN, 1.0", "1.0, NaN", "Infinity, 1.0", "1.0, Infinity", "-1.0, 1.0", "1.0, -1.0"})
    void totalsThatAreNotFiniteNonNegativeSumsAreRefused(double weightedValueSum, double weightSum) {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new WindowTotals(weightedValueSum, weightSum, 2));
    }

    @Test
    void aMeanAboveOneFromASubnormalWeightSumIsCappedAtOne() {
        CoherenceScore score = ScoreCalculator.score(TENANT, new WindowTotals(1e-300, Double.MIN_VALUE, 1), AT);

        assertThat(score.score()).isEqualTo(1.0);
    }
}
