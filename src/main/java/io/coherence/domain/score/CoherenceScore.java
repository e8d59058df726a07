package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/** A tenant's coherence score as last materialized. */
public record CoherenceScore(TenantId tenant, double score, ScoreStatus status, Instant updatedAt) {

    public CoherenceScore {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** The answer for a tenant that has no score yet. */
    public static CoherenceScore unknown(TenantId tenant, Instant at) {
        return new CoherenceScore(tenant, 0.0, ScoreStatus.UNKNOWN, at);
    }
}
