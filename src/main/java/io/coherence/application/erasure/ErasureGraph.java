package io.coherence.application.erasure;

import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What erasure does in the signal graph. Each batch is one transaction that erases up to
 * {@code limit} signals, appends its ERASURE ledger entry and adds to the request's progress, so
 * the progress is exact across a crash: a batch is in it exactly when its signals are gone.
 */
public interface ErasureGraph {

    /** The request's progress in the graph so far (all zero before its first batch). */
    record Progress(long before, long erased, long batches, String digest) {
    }

    /** The provenance ids of the subject's signals after {@code after} (exclusive), in order. */
    List<String> provenanceIds(TenantId tenant, ErasureSubject subject, String after, int limit);

    /** Erases one batch; answers how many signals it erased (fewer than {@code limit}: none are left). */
    int eraseBatch(UUID request, TenantId tenant, ErasureSubject subject, ErasureScope scope, int limit, Instant at);

    Progress progress(UUID request);

    /** How many signals an erasure of the subject in this scope would still find. */
    long count(TenantId tenant, ErasureSubject subject, ErasureScope scope);

    /** Marks the tenant's score stale, so the materializer recomputes it on its next run. */
    void markForRescoring(TenantId tenant);

    /** Removes the tenant's score from the graph; the materializer scores it again only after new signals. */
    void removeScore(TenantId tenant);

    /** Drops the request's progress (after its audit package is stored). */
    void forgetProgress(UUID request);
}
