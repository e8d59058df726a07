package io.coherence.application.erasure;

import io.coherence.domain.tenant.TenantId;

/** Removes a tenant's materialized score row (off-boarding). */
public interface ScoreRemoval {

    /** Answers whether there was one. */
    boolean delete(TenantId tenant);
}
