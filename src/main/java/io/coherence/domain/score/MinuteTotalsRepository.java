package io.coherence.domain.score;

import io.coherence.domain.tenant.TenantId;
import java.util.List;
import java.util.Optional;

/** The per-minute sums of a tenant's signals, the stored aggregates a score history is computed from. */
public interface MinuteTotalsRepository {

    /**
     * The non-empty minutes in {@code [fromMinute, toMinute)}, in any order; empty when the sums do
     * not yet hold every signal of the tenant (they are being rebuilt), so no history is computed
     * from an incomplete picture.
     */
    Optional<List<MinuteTotals>> between(TenantId tenant, long fromMinute, long toMinute);
}
