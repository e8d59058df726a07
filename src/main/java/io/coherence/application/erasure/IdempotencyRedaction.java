package io.coherence.application.erasure;

import io.coherence.domain.tenant.TenantId;
import java.util.Collection;

/** Idempotency-Key answers that name erased signals. */
public interface IdempotencyRedaction {

    /**
     * Rewrites the tenant's stored answers that name any of these provenance ids so they no
     * longer name the signal (its signal id and provenance id become "erased"); the key stays, so
     * a retry is still answered and does not ingest the signal again. Answers how many were rewritten.
     */
    int redact(TenantId tenant, Collection<String> provenanceIds);

    /** Deletes up to {@code limit} of the tenant's keys (off-boarding); answers how many. */
    int deleteTenantKeys(TenantId tenant, int limit);
}
