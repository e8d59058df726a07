package io.coherence.application.events;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;

/**
 * The tenant's score was deleted (retention emptied the tenant, or an erasure) and evicted from the
 * shared cache: every replica drops its own copy. Subscriptions do not receive it.
 */
public record ScoreRemoved(TenantId tenant, Instant committedAt) implements CoherenceEvent {
}
