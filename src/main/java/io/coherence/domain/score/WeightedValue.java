package io.coherence.domain.score;

/** One signal's contribution to a score: its value and its weight. */
public record WeightedValue(double value, double weight) {
}
