package io.coherence.application.events;

import io.coherence.domain.tenant.TenantId;
import java.util.List;

/**
 * The tenant's committed signal events, read back from the store that holds the signals (it
 * outlives every replica and the bridge): what a resuming subscriber missed, and what the bridge
 * lost. A signal erased or pruned since is not there any more.
 */
public interface EventHistory {

    /** The tenant's last sequence number (0: it has none yet). */
    long head(TenantId tenant);

    /**
     * At most {@code limit} of the tenant's signal events with {@code after < sequence <= upTo}, in
     * sequence order.
     */
    List<SignalCommitted> between(TenantId tenant, long after, long upTo, int limit);
}
