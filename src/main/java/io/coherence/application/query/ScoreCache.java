package io.coherence.application.query;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.tenant.TenantId;
import java.util.Optional;

/**
 * A cache of materialized scores in front of PostgreSQL. It is only an accelerator: when it
 * fails, reads go to PostgreSQL and writes are dropped, never an error to the caller.
 */
public interface ScoreCache {

    Optional<CoherenceScore> get(TenantId tenant);

    void put(CoherenceScore score);
}
