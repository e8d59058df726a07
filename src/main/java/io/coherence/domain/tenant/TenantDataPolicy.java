package io.coherence.domain.tenant;

import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.retention.RetentionVerdict;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a tenant's data may be used for and how long it is kept: its retention tier, purpose,
 * licence, residency, and whether it is under legal hold (then nothing is pruned or erased,
 * whatever the tier). {@code updatedAt} is null for a tenant that never set one (the defaults).
 */
public record TenantDataPolicy(TenantId tenant, RetentionTier tier, String purpose, String license, String residency,
                               boolean legalHold, Instant updatedAt) {

    public TenantDataPolicy {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(license, "license");
        Objects.requireNonNull(residency, "residency");
    }

    /** The tags new signals of this tenant carry as provenance. */
    public PolicyTags tags() {
        return new PolicyTags(purpose, tier.policyName(), license, residency);
    }

    /** Whether anything of this tenant may be deleted: not under a hold, by flag or by tier. */
    public boolean held() {
        return legalHold || tier == RetentionTier.LEGAL_HOLD;
    }

    /** Signals with {@code ts} before this may be pruned at {@code now}; empty when none may. */
    public Optional<Instant> pruneBefore(Instant now) {
        return held() ? Optional.empty() : tier.cutoff(now);
    }

    /**
     * Whether a signal stamped {@code ts} is past this policy's retention at {@code now}: the Java
     * twin of {@code opa/retention.rego}, held to the same table ({@code opa/testdata/retention.json}).
     * Retention prunes such a signal, and ingest refuses it.
     */
    public RetentionVerdict retention(Instant ts, Instant now) {
        if (held()) {
            return new RetentionVerdict(false, "under legal hold: nothing of the tenant is pruned or erased");
        }
        boolean past = ts.isBefore(tier.cutoff(now).orElseThrow());
        return new RetentionVerdict(past, (past ? "older than the " : "within the ") + tier.keep().orElseThrow().toDays()
                + " days tier " + tier.policyName() + " keeps");
    }

    /** The defaults every tenant has until it sets its own. */
    public static TenantDataPolicy defaults(TenantId tenant, PolicyTags tags) {
        return defaults(tenant, tags, RetentionTier.parse(tags.retention()));
    }

    /** The same, with the tags' tier already parsed (for callers that ask per request). */
    public static TenantDataPolicy defaults(TenantId tenant, PolicyTags tags, RetentionTier tier) {
        return new TenantDataPolicy(tenant, tier, tags.purpose(), tags.license(), tags.residency(), false, null);
    }
}
