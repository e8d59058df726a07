package io.coherence.domain.signal;

import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * The idempotent identity of a signal (ADR-003): the same tenant, source, signal id and timestamp
 * always denote the same signal, however often it is delivered.
 */
public record SignalIdentity(TenantId tenant, String source, String signalId, Instant ts) {

    /** Prefix of signal ids the service derived itself, so they cannot be mistaken for a client's. */
    public static final String DERIVED_PREFIX = "sha256:";

    public SignalIdentity {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(signalId, "signalId");
        Objects.requireNonNull(ts, "ts");
    }

    /**
     * Derives a signal id from the signal's content, for clients that send none: a retried request
     * with the same content and timestamp gets the same id and is recognised as a duplicate.
     */
    public static String deriveSignalId(TenantId tenant, String type, double value, double weight,
                                        String source, Instant ts) {
        String canonical = String.join("\n",
                tenant.value(), type, Double.toString(value), Double.toString(weight), source, ts.toString());
        return DERIVED_PREFIX + Sha256.hex(canonical).substring(0, 32);
    }
}
