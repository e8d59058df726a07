package io.coherence.application.subscriptions;

import io.coherence.domain.score.CoherenceScore;

/**
 * What a {@code coherenceScoreChanged} subscriber asked to be told about: every change (neither
 * argument), or only a change that takes the score across {@code crossing} (from below it to at or
 * above it, or back) or, with {@code statusChange}, one that changes its status. Both given: either
 * one. A change is judged against the score the subscriber last knew: the one last sent to it, or
 * the one read when it subscribed; when none is known the change is sent (rather one too many than
 * a missed crossing).
 */
public record ScoreThreshold(Double crossing, boolean statusChange) {

    public static final ScoreThreshold EVERY_CHANGE = new ScoreThreshold(null, false);

    /** @throws IllegalArgumentException when {@code crossing} is not a number in [0, 1] */
    public ScoreThreshold {
        if (crossing != null && !(crossing >= 0.0 && crossing <= 1.0)) {
            throw new IllegalArgumentException("crossing must be a number from 0 to 1, the range of a score");
        }
    }

    public boolean filters() {
        return crossing != null || statusChange;
    }

    /** Whether a change from {@code known} (null: not known) to {@code next} is to be sent. */
    public boolean passes(CoherenceScore known, CoherenceScore next) {
        if (!filters() || known == null) {
            return true;
        }
        boolean crossed = crossing != null && (known.score() < crossing) != (next.score() < crossing);
        boolean statusChanged = statusChange && known.status() != next.status();
        return crossed || statusChanged;
    }
}
