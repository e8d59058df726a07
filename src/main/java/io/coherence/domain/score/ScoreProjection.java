package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/**
 * The score as seen from the signal graph: which tenants are waiting for a new score, and the
 * {@code (:Tenant)-[:HAS_SCORE]->(:CoherenceScore)} node that mirrors the materialized score.
 */
public interface ScoreProjection {

    /** Up to {@code limit} pending tenants, least recently scored first (never scored before any). */
    List<PendingTenant> pending(int limit);

    /**
     * Tenants whose score was last computed before {@code cutoff}, oldest first: their window moved.
     * The graph answers this, not the read model, because the graph knows every scored tenant, even
     * one whose materialized row is gone (a restored PostgreSQL backup, a deleted row).
     */
    List<TenantId> scoredBefore(Instant cutoff, int limit);

    /** Records the score computed for {@code version}; newer signals keep the tenant pending. */
    void record(CoherenceScore score, long version);
}
