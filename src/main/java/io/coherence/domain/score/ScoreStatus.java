package io.coherence.domain.score;

/** The health of a tenant's coherence, by score threshold. */
public enum ScoreStatus {
    HEALTHY, WARN, CRITICAL,
    /** No signals in the scoring window: there is nothing to judge. */
    UNKNOWN;

    public static final double HEALTHY_AT = 0.75;
    public static final double WARN_AT = 0.5;

    /** HEALTHY at or above 0.75, WARN at or above 0.5, else CRITICAL. */
    public static ScoreStatus of(double score) {
        if (score >= HEALTHY_AT) {
            return HEALTHY;
        }
        return score >= WARN_AT ? WARN : CRITICAL;
    }
}
