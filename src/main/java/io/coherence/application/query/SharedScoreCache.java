package io.coherence.application.query;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.tenant.TenantId;
import java.util.Optional;

/**
 * The score cache every replica shares (Redis), behind each replica's {@link NearScoreCache}. The
 * same promises as {@link ScoreCache}: only an accelerator, so {@code get} and {@code put} never
 * fail the caller; {@code put} never replaces a newer score; {@code evict} throws when it failed.
 */
public interface SharedScoreCache {

    Optional<CoherenceScore> get(TenantId tenant);

    void put(CoherenceScore score);

    void evict(TenantId tenant);
}
