package io.coherence.interfaces.graphql;

import io.coherence.domain.score.CoherencePoint;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code CoherencePoint}: one point of {@code tenantCoherenceHistory}. */
@Type("CoherencePoint")
@Description("The score of the scoring window (24 h) ending at a whole minute.")
public class CoherencePointView {

    private final String at;
    private final double score;
    private final String status;
    private final int signals;

    CoherencePointView(CoherencePoint p) {
        this.at = p.at().toString();
        this.score = p.score();
        this.status = p.status().name();
        this.signals = (int) Math.min(Integer.MAX_VALUE, p.signals());
    }

    @Description("The end of the window (ISO-8601, a whole minute, UTC).")
    public @NonNull String getAt() {
        return at;
    }

    public double getScore() {
        return score;
    }

    @Description("HEALTHY (>= 0.75), WARN (>= 0.5), CRITICAL, or UNKNOWN when no signals are in the window.")
    public @NonNull String getStatus() {
        return status;
    }

    @Description("The number of signals in the window.")
    public int getSignals() {
        return signals;
    }
}
