package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;

/**
 * A tenant that received signals since its score was last materialized. {@code version} counts
 * its accepted signals; recording a score for that version clears it unless more arrived since.
 */
public record PendingTenant(TenantId tenant, long version) {
}
