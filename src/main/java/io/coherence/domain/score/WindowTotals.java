package io.coherence.domain.score;

import io.coherence.domain.signal.Signal;

/**
 * The sums a score is computed from: Σ value·weight, Σ weight and the number of signals in the
 * window. Stores aggregate these where the signals live instead of shipping every signal; like
 * {@link #plus}, they count a weight above {@link Signal#MAX_WEIGHT} (stored before that bound
 * existed) as the maximum, so the sums stay finite. Sums that are not finite and non-negative are
 * refused: a score is never computed from them.
 */
public record WindowTotals(double weightedValueSum, double weightSum, long count) {

    public static final WindowTotals EMPTY = new WindowTotals(0.0, 0.0, 0);

    public WindowTotals {
        if (!(weightedValueSum >= 0.0 && weightedValueSum < Double.POSITIVE_INFINITY
                && weightSum >= 0.0 && weightSum < Double.POSITIVE_INFINITY && count >= 0)) {
            throw new IllegalArgumentException("window sums must be finite and non-negative: Σ value·weight="
                    + weightedValueSum + ", Σ weight=" + weightSum + ", count=" + count);
        }
    }

    public WindowTotals plus(WeightedValue item) {
        double weight = Math.min(item.weight(), Signal.MAX_WEIGHT);
        return new WindowTotals(weightedValueSum + item.value() * weight, weightSum + weight, count + 1);
    }
}
