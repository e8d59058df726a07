package io.coherence.application.events;

import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;

/**
 * A signal that was stored for the first time. {@code sequence} is its place in the tenant's
 * commit order (gapless per tenant), which subscribers receive it in.
 */
public record SignalCommitted(TenantId tenant, long sequence, String signalId, String type, double value,
                              double weight, String source, Instant ts, String provenanceId, Instant committedAt)
        implements CoherenceEvent {

    public static SignalCommitted of(Signal signal, WriteOutcome outcome, Instant committedAt) {
        if (!outcome.accepted()) {
            throw new IllegalArgumentException("a duplicate committed nothing: " + signal.identity());
        }
        return new SignalCommitted(signal.tenant(), outcome.sequence(), signal.identity().signalId(), signal.type(),
                signal.value(), signal.weight(), signal.identity().source(), signal.ts(), outcome.provenanceId(),
                committedAt);
    }
}
