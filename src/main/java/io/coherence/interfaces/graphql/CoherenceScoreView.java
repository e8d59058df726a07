package io.coherence.interfaces.graphql;

import io.coherence.domain.score.CoherenceScore;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Id;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code CoherenceScore}. */
@Type("CoherenceScore")
@Description("Aggregate coherence score per tenant.")
public class CoherenceScoreView {

    private final String tenantId;
    private final double score;
    private final String status;
    private final OffsetDateTime updatedAt;

    CoherenceScoreView(String tenantId, double score, String status, OffsetDateTime updatedAt) {
        this.tenantId = tenantId;
        this.score = score;
        this.status = status;
        this.updatedAt = updatedAt;
    }

    static CoherenceScoreView of(CoherenceScore s) {
        return new CoherenceScoreView(s.tenant().value(), s.score(), s.status().name(),
                s.updatedAt().atOffset(ZoneOffset.UTC));
    }

    public @Id @NonNull String getTenantId() {
        return tenantId;
    }

    public double getScore() {
        return score;
    }

    @Description("HEALTHY (>= 0.75), WARN (>= 0.5), CRITICAL, or UNKNOWN when no signals are in the window.")
    public @NonNull String getStatus() {
        return status;
    }

    public @NonNull OffsetDateTime getUpdatedAt() {
        return updatedAt;
    }
}
