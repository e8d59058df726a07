package io.coherence.domain.provenance;

import io.coherence.domain.retention.RetentionTier;
import java.time.Instant;
import java.util.Collection;

/**
 * What the provenance ledger records of one deleted retention batch: a summary with the count, the
 * tier and the cut-off, and the digest of the deleted signals' provenance ids (sorted, one per
 * line), so an auditor holding those ids can show which signals went, while the ledger itself
 * names no signal.
 */
public final class RetentionEntry {

    private RetentionEntry() {
    }

    public static String summary(int deleted, RetentionTier tier, Instant cutoff) {
        return "deleted=" + deleted + " tier=" + tier.policyName() + " cutoff=" + LedgerTime.format(cutoff);
    }

    public static String digest(Collection<String> provenanceIds) {
        return Sha256.hex(String.join("\n", provenanceIds.stream().sorted().toList()));
    }
}
