package io.coherence.domain.score;

/**
 * The sums a score is computed from: Σ value·weight, Σ weight and the number of signals in the
 * window. Stores aggregate these where the signals live instead of shipping every signal.
 */
public record WindowTotals(double weightedValueSum, double weightSum, long count) {

    public static final WindowTotals EMPTY = new WindowTotals(0.0, 0.0, 0);

    public WindowTotals plus(WeightedValue item) {
        return new WindowTotals(weightedValueSum + item.value() * item.weight(), weightSum + item.weight(), count + 1);
    }
}
