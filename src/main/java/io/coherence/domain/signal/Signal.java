package io.coherence.domain.signal;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A numeric coherence signal a tenant emitted. Its identity is {@link #identity()}; the value is
 * in [0, 1] and the weight is positive and at most {@link #MAX_WEIGHT}, both finite. {@code tsAssigned}
 * says that the client named the signal (a signal id) but gave it no timestamp, so the service
 * assigned one (the time it arrived, or its Kafka record's timestamp). A retry of such a signal is
 * assigned another one; therefore a signal with an assigned timestamp is the signal already stored
 * under the same tenant, source and signal id, whatever that one's timestamp (see
 * {@link SignalRepository}).
 */
public record Signal(SignalIdentity identity, String type, double value, double weight, Provenance provenance,
                     boolean tsAssigned) {

    /**
     * The largest weight a signal may carry: a window's sums stay finite for any realistic number
     * of signals (they would need 10^302 of them to overflow), and 12 orders of magnitude between
     * a typical weight of 1 and this leave clients all the range they need.
     */
    public static final double MAX_WEIGHT = 1_000_000.0;

    public Signal {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(provenance, "provenance");
        if (!Double.isFinite(value) || value < 0.0 || value > 1.0) {
            throw new IllegalArgumentException("value must be finite and within [0, 1]: " + value);
        }
        if (!(weight > 0.0 && weight <= MAX_WEIGHT)) {
            throw new IllegalArgumentException("weight must be positive and at most " + MAX_WEIGHT + ": " + weight);
        }
    }

    /** A signal whose timestamp the client gave (or that has no signal id of the client's). */
    public Signal(SignalIdentity identity, String type, double value, double weight, Provenance provenance) {
        this(identity, type, value, weight, provenance, false);
    }

    public TenantId tenant() {
        return identity.tenant();
    }

    public Instant ts() {
        return identity.ts();
    }
}
