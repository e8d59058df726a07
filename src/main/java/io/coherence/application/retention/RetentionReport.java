package io.coherence.application.retention;

import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * What a retention run did for one tenant: its tier, whether it is under legal hold (then nothing
 * matched and {@code cutoff} is null), the cut-off, how many signals were past it when the run
 * began ({@code matched}) and how many it deleted (0 in a dry run; fewer than matched when the
 * run's batch bound stopped it, the rest goes next time).
 */
public record RetentionReport(TenantId tenant, RetentionTier tier, boolean held, Instant cutoff, long matched,
                              long deleted, boolean dryRun) {

    public RetentionReport {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tier, "tier");
        if (held != (cutoff == null)) {
            throw new IllegalArgumentException("a held tenant has no cut-off, any other one has");
        }
    }

    static RetentionReport held(TenantId tenant, RetentionTier tier, boolean dryRun) {
        return new RetentionReport(tenant, tier, true, null, 0, 0, dryRun);
    }
}
