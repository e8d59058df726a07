package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A tenant's score over time from its per-minute sums: the point at minute {@code m} is the score
 * of the signals in {@code [m − window, m)}, computed as {@link ScoreCalculator} computes the live
 * score (weights above the maximum already counted as the maximum in the sums). Each point sums its
 * window's minutes afresh rather than sliding one running sum, so no rounding error carries from
 * one point to the next.
 */
public final class ScoreHistory {

    private ScoreHistory() {
    }

    /**
     * Points at {@code fromMinute}, {@code fromMinute + stepMinutes}, … up to {@code toMinute}
     * inclusive; {@code minutes} must cover {@code [fromMinute − windowMinutes, toMinute)}.
     */
    public static List<CoherencePoint> points(TenantId tenant, List<MinuteTotals> minutes, long fromMinute, long toMinute,
                                              long stepMinutes, long windowMinutes) {
        if (stepMinutes <= 0 || windowMinutes <= 0 || toMinute < fromMinute) {
            throw new IllegalArgumentException("step and window must be positive and the range not reversed");
        }
        long first = fromMinute - windowMinutes;
        int span = Math.toIntExact(toMinute - first);
        double[] weighted = new double[span];
        double[] weights = new double[span];
        long[] counts = new long[span];
        for (MinuteTotals m : minutes) {
            if (m.minute() >= first && m.minute() < toMinute) {
                int i = (int) (m.minute() - first);
                weighted[i] += m.weightedValueSum();
                weights[i] += m.weightSum();
                counts[i] += m.count();
            }
        }
        List<CoherencePoint> points = new ArrayList<>();
        for (long at = fromMinute; at <= toMinute; at += stepMinutes) {
            double w = 0.0;
            double ws = 0.0;
            long n = 0;
            for (int i = (int) (at - windowMinutes - first); i < at - first; i++) {
                w += weighted[i];
                ws += weights[i];
                n += counts[i];
            }
            Instant instant = Instant.ofEpochSecond(at * 60);
            CoherenceScore score = ScoreCalculator.score(tenant, new WindowTotals(w, ws, n), instant);
            points.add(new CoherencePoint(instant, score.score(), score.status(), n));
        }
        return points;
    }
}
