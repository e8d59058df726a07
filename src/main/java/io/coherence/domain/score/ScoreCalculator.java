package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The coherence score: the weighted mean of the values of a tenant's signals in the window
 * (the last 24 hours by default), rounded half-up to the two decimals the score table keeps.
 * The status is judged on the rounded score, so a reader never sees 0.75 reported as WARN.
 * No signals in the window (or no weight) gives score 0 with status UNKNOWN. The totals are
 * finite (see {@link WindowTotals}), so the score is always a number in [0, 1].
 */
public final class ScoreCalculator {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final int SCALE = 2;
    private static final MathContext SIGNIFICANT = new MathContext(12, RoundingMode.HALF_EVEN);

    private ScoreCalculator() {
    }

    public static WindowTotals totals(Iterable<WeightedValue> items) {
        WindowTotals totals = WindowTotals.EMPTY;
        for (WeightedValue item : items) {
            totals = totals.plus(item);
        }
        return totals;
    }

    public static CoherenceScore score(TenantId tenant, WindowTotals totals, Instant at) {
        if (totals.count() == 0 || totals.weightSum() <= 0.0) {
            return CoherenceScore.unknown(tenant, at);
        }
        // Values are in [0, 1], so is their mean; a subnormal weight sum can push the quotient past 1.
        double score = round(Math.min(1.0, totals.weightedValueSum() / totals.weightSum()));
        return new CoherenceScore(tenant, score, ScoreStatus.of(score), at);
    }

    /**
     * Binary floating point leaves an exact half-way mean like 0.495 as 0.49499999999999994; cutting
     * it to 12 significant digits first (far above the sums' own error) lets half-up see the tie.
     */
    static double round(double mean) {
        return new BigDecimal(mean).round(SIGNIFICANT).setScale(SCALE, RoundingMode.HALF_UP).doubleValue();
    }
}
