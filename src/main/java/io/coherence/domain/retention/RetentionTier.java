package io.coherence.domain.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * How long a tenant's signals are kept (seed 004's tiers). {@link #LEGAL_HOLD} keeps everything
 * for as long as the hold lasts. The policy name ({@code standard-365d}) is what provenance tags
 * and the Rego rules carry; the constant name is the GraphQL enum value.
 */
public enum RetentionTier {
    EPHEMERAL_7D("ephemeral-7d", Duration.ofDays(7)),
    SHORT_30D("short-30d", Duration.ofDays(30)),
    STANDARD_365D("standard-365d", Duration.ofDays(365)),
    LONG_1825D("long-1825d", Duration.ofDays(1825)),
    LEGAL_HOLD("legal-hold", null);

    private final String policyName;
    private final Duration keep;

    RetentionTier(String policyName, Duration keep) {
        this.policyName = policyName;
        this.keep = keep;
    }

    public String policyName() {
        return policyName;
    }

    /** How long signals are kept; empty for a tier that keeps them indefinitely. */
    public Optional<Duration> keep() {
        return Optional.ofNullable(keep);
    }

    /** Signals with {@code ts} before this are past the tier at {@code now}; empty when none ever are. */
    public Optional<Instant> cutoff(Instant now) {
        return keep().map(now::minus);
    }

    /** By policy name ({@code short-30d}) or constant name ({@code SHORT_30D}), case-insensitive. */
    public static RetentionTier parse(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.policyName.equals(wanted) || t.name().toLowerCase(Locale.ROOT).equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown retention tier '" + name + "'; one of "
                        + Arrays.stream(values()).map(RetentionTier::policyName).toList()));
    }
}
