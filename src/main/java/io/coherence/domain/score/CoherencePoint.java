package io.coherence.domain.score;

import java.time.Instant;

/** The score of the window ending at {@code at}, with the number of signals in it. */
public record CoherencePoint(Instant at, double score, ScoreStatus status, long signals) {
}
