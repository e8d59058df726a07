package io.coherence.domain.provenance;

/**
 * The result of checking a tenant's ledger: how many entries were read, whether the chain holds,
 * and the first entry that does not (null when valid).
 */
public record LedgerVerification(long entries, boolean valid, Long firstBrokenSequence) {
}
