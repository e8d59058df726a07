package io.coherence.application.query;

import io.coherence.domain.score.CoherenceScore;

/**
 * A tenantCoherence answer. {@code degraded} means the materialized scores (PostgreSQL) could not be
 * read, so the score was computed from the signals themselves: the same weighted mean over the same
 * window, but as of now rather than as of the last materializer run.
 */
public record ScoreAnswer(CoherenceScore score, boolean degraded) {

    static ScoreAnswer materialized(CoherenceScore score) {
        return new ScoreAnswer(score, false);
    }

    static ScoreAnswer computed(CoherenceScore score) {
        return new ScoreAnswer(score, true);
    }
}
