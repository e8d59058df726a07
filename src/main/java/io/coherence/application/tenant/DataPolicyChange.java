package io.coherence.application.tenant;

import io.coherence.application.TextRules;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicy;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A change of a tenant's data policy as a client asked for it: a null field stays as it is.
 * Constraint messages are the error codes the caller sees.
 */
public record DataPolicyChange(
        String tenantId,
        RetentionTier retentionTier,
        @Size(min = 1, max = TextRules.MAX_TEXT, message = "TOO_LONG")
        @Pattern(regexp = TextRules.PRINTABLE, message = "NOT_PRINTABLE")
        @Pattern(regexp = TextRules.TRIMMED, message = "NOT_PRINTABLE")
        @Pattern(regexp = ".*\\S.*", message = "REQUIRED")
        String purpose,
        @Size(min = 1, max = TextRules.MAX_TEXT, message = "TOO_LONG")
        @Pattern(regexp = TextRules.PRINTABLE, message = "NOT_PRINTABLE")
        @Pattern(regexp = TextRules.TRIMMED, message = "NOT_PRINTABLE")
        @Pattern(regexp = ".*\\S.*", message = "REQUIRED")
        String license,
        @Size(min = 1, max = TextRules.MAX_TEXT, message = "TOO_LONG")
        @Pattern(regexp = TextRules.PRINTABLE, message = "NOT_PRINTABLE")
        @Pattern(regexp = TextRules.TRIMMED, message = "NOT_PRINTABLE")
        @Pattern(regexp = ".*\\S.*", message = "REQUIRED")
        String residency,
        Boolean legalHold) {

    /** The policy with this change applied to {@code current}. */
    public TenantDataPolicy applyTo(TenantDataPolicy current) {
        return new TenantDataPolicy(current.tenant(),
                retentionTier == null ? current.tier() : retentionTier,
                purpose == null ? current.purpose() : purpose,
                license == null ? current.license() : license,
                residency == null ? current.residency() : residency,
                legalHold == null ? current.legalHold() : legalHold,
                current.updatedAt());
    }

    /** Whether it changes nothing at all (refused: a client that meant something sent nothing). */
    public boolean empty() {
        return retentionTier == null && purpose == null && license == null && residency == null && legalHold == null;
    }
}
