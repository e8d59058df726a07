package io.coherence.interfaces.graphql;

import io.coherence.domain.provenance.LedgerVerification;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Type;

/** GraphQL type {@code LedgerVerification}. */
@Type("LedgerVerification")
@Description("The result of checking a tenant's provenance ledger.")
public class LedgerVerificationView {

    private final int entries;
    private final boolean valid;
    private final Integer firstBrokenSequence;

    LedgerVerificationView(int entries, boolean valid, Integer firstBrokenSequence) {
        this.entries = entries;
        this.valid = valid;
        this.firstBrokenSequence = firstBrokenSequence;
    }

    /** GraphQL's Int is 32-bit; a chain that long is out of reach, so saturating is only a guard. */
    static LedgerVerificationView of(LedgerVerification v) {
        return new LedgerVerificationView(saturated(v.entries()), v.valid(),
                v.firstBrokenSequence() == null ? null : saturated(v.firstBrokenSequence()));
    }

    private static int saturated(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n);
    }

    @Description("Entries read.")
    public @NonNull int getEntries() {
        return entries;
    }

    @Description("Whether the chain holds: every link, every hash, the head, and every created signal covered.")
    public @NonNull boolean isValid() {
        return valid;
    }

    @Description("The first entry that breaks the chain (where a missing entry belongs); null when valid.")
    public Integer getFirstBrokenSequence() {
        return firstBrokenSequence;
    }
}
