package io.coherence.application;

import io.coherence.domain.tenant.TenantId;
import java.util.List;

/**
 * A tenant id a client named as an argument (a query, retention, the ledger), checked by the text
 * rules signals' tenant ids meet, so that a malformed one is refused by name rather than answered
 * as someone else's tenant.
 */
public final class TenantIds {

    private TenantIds() {
    }

    /** The tenant id, or BAD_USER_INPUT naming {@code tenantId} with REQUIRED, TOO_LONG or NOT_PRINTABLE. */
    public static TenantId checked(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw invalid("REQUIRED", "is required");
        }
        if (tenantId.length() > TextRules.MAX_TEXT) {
            throw invalid("TOO_LONG", "must be at most " + TextRules.MAX_TEXT + " characters");
        }
        if (!tenantId.matches(TextRules.PRINTABLE)) {
            throw invalid("NOT_PRINTABLE", "must not contain control or formatting characters");
        }
        return TenantId.of(tenantId);
    }

    private static CoherenceException invalid(String code, String message) {
        return new CoherenceException(ErrorCode.BAD_USER_INPUT, "tenantId " + message,
                List.of(new Violation(null, "tenantId", code, message)));
    }
}
