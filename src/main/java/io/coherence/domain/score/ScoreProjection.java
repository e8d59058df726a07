package io.coherence.domain.score;

import java.util.List;

/**
 * The score as seen from the signal graph: which tenants are waiting for a new score, and the
 * {@code (:Tenant)-[:HAS_SCORE]->(:CoherenceScore)} node that mirrors the materialized score.
 */
public interface ScoreProjection {

    /** Up to {@code limit} pending tenants, least recently scored first (never scored before any). */
    List<PendingTenant> pending(int limit);

    /** Records the score computed for {@code version}; newer signals keep the tenant pending. */
    void record(CoherenceScore score, long version);
}
