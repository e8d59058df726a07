package io.coherence.domain.signal;

import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.List;

/** Where signals are kept. */
public interface SignalRepository {

    /**
     * Stores the signals in one transaction and returns, in the same order, what happened to each.
     * Returns only after that transaction committed; a signal whose identity is already stored
     * (including earlier in the same list) is a duplicate and changes nothing. A signal with an
     * assigned timestamp ({@link Signal#tsAssigned()}) takes the timestamp of the signal already
     * stored (or earlier in the list) under its tenant, source and signal id, the earliest if
     * several, and so is a duplicate of it. A signal found stored under its own provenance id is
     * this very write, retried after its acknowledgement was lost: accepted, with the sequence it
     * got then, and changes nothing.
     */
    List<WriteOutcome> saveAll(List<Signal> signals);

    /** The weighted sums over a tenant's signals with {@code ts >= from}. */
    WindowTotals windowTotals(TenantId tenant, Instant from);
}
