package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Optional;

/** The materialized read model of scores (PostgreSQL {@code coherence_scores}). */
public interface ScoreRepository {

    /**
     * Stores the score unless the stored one is as new or newer (by {@code updatedAt}): a slow
     * writer never replaces a later score. Returns whether it was stored.
     */
    boolean upsert(CoherenceScore score);

    Optional<CoherenceScore> find(TenantId tenant);

    /**
     * Deletes the tenant's stored score unless it was computed after {@code notAfter} (a score
     * stored meanwhile for new signals stays). Returns whether a score was deleted.
     */
    boolean delete(TenantId tenant, Instant notAfter);
}
