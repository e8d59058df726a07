package io.coherence.domain.signal;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A numeric coherence signal a tenant emitted. Its identity is {@link #identity()}; the value is
 * in [0, 1] and the weight is positive, both finite.
 */
public record Signal(SignalIdentity identity, String type, double value, double weight, Provenance provenance) {

    public Signal {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(provenance, "provenance");
        if (!Double.isFinite(value) || value < 0.0 || value > 1.0) {
            throw new IllegalArgumentException("value must be finite and within [0, 1]: " + value);
        }
        if (!Double.isFinite(weight) || weight <= 0.0) {
            throw new IllegalArgumentException("weight must be finite and positive: " + weight);
        }
    }

    public TenantId tenant() {
        return identity.tenant();
    }

    public Instant ts() {
        return identity.ts();
    }
}
