package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.util.Optional;

/**
 * A cache of materialized scores in front of PostgreSQL: each replica's near layer in memory, then
 * the shared one (the application's near cache in front of Redis). It is only an accelerator: when it fails, reads go to
 * PostgreSQL and writes are dropped, never an error to the caller.
 */
public interface ScoreCache {

    Optional<CoherenceScore> get(TenantId tenant);

    /**
     * Caches the score unless the cache holds one as new or newer (by {@code updatedAt}): a read
     * filling the cache with what it read just before the materializer stored a newer score must
     * not put the older one back.
     */
    void put(CoherenceScore score);

    /**
     * Removes the tenant's entry (its score was deleted: retention emptied the tenant, or an
     * erasure), from the shared cache and from every replica's near layer. Unlike {@link #put}, a
     * failure is thrown: the caller must know that the entry may still be there.
     */
    void evict(TenantId tenant);
}
