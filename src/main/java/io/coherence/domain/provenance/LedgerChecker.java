package io.coherence.domain.provenance;

/**
 * Checks a tenant's ledger entries, fed in sequence order (a page at a time, so a long ledger is
 * never held in memory). An entry is broken when its sequence is not the next one, its
 * {@code prevHash} is not the previous entry's hash, or its hash does not match its fields.
 */
public final class LedgerChecker {

    private final String tenantId;
    private long entries;
    private long expectedSequence = 1;
    private String previousHash = LedgerEntry.GENESIS;
    private Long firstBroken;

    public LedgerChecker(String tenantId) {
        this.tenantId = tenantId;
    }

    public void accept(LedgerEntry entry) {
        entries++;
        if (firstBroken == null && (entry.sequence() != expectedSequence || !entry.tenantId().equals(tenantId)
                || !entry.prevHash().equals(previousHash) || !entry.selfConsistent())) {
            firstBroken = Math.min(entry.sequence(), expectedSequence);
        }
        expectedSequence = entry.sequence() + 1;
        previousHash = entry.hash();
    }

    public LedgerVerification result() {
        return new LedgerVerification(entries, firstBroken == null, firstBroken);
    }
}
