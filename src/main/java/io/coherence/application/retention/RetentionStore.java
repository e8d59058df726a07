package io.coherence.application.retention;

import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/** The signal store as retention sees it: whose signals there are, how many are past a cut-off, and deleting them. */
public interface RetentionStore {

    /**
     * Up to {@code limit} tenants, by id after {@code after} (null: from the first), that have
     * signals, or a score although they have none left (a score the materializer wrote while the
     * tenant was being emptied).
     */
    List<TenantId> tenants(String after, int limit);

    /** How many of the tenant's signals have {@code ts} before {@code cutoff}. */
    long countBefore(TenantId tenant, Instant cutoff);

    /**
     * Deletes up to {@code limit} of the tenant's signals with {@code ts} before {@code cutoff} in
     * one short transaction that takes the tenant's lock first, as ingest's writes do, and appends
     * in that same transaction the RETENTION ledger entry of what it deleted (none when nothing was).
     */
    PrunedBatch deleteBefore(TenantId tenant, Instant cutoff, int limit, RetentionTier tier, Instant at);

    /** The tenant's score counts signals that are gone: the materializer is to score it again. */
    void rescore(TenantId tenant);

    /**
     * When the tenant has no signals left: removes the graph's copy of its score, so that the
     * materializer neither scores it again nor finds it stale, and answers true. Decided under
     * the tenant's lock, so a signal ingested meanwhile keeps its score.
     */
    boolean retireScoreIfEmpty(TenantId tenant);

    /** One deleted batch: how many signals, and the newest {@code ts} among them (null for none). */
    record PrunedBatch(int deleted, Instant newest) {
    }
}
