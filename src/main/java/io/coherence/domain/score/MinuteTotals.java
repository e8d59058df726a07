package io.coherence.domain.score;

/**
 * One minute of a tenant's signals, as stored beside them: Σ value·weight, Σ weight and the count
 * of the signals whose {@code ts} falls in that minute ({@code minute} = epoch second / 60).
 */
public record MinuteTotals(long minute, double weightedValueSum, double weightSum, long count) {
}
