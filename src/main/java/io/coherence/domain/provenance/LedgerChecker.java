package io.coherence.domain.provenance;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks a tenant's ledger entries, fed in sequence order (a page at a time, so a long ledger is
 * never held in memory). An entry is broken when its sequence is not the next one, its
 * {@code prevHash} is not the previous entry's hash, its hash does not match its fields, its stored
 * fields do not make an entry, or, for an INGEST entry, its signal range does not start right after
 * the previous INGEST entry's (the first at 1). {@link #result(long, String, long)} adds what the
 * tenant itself records: the chain's head and how many signals it created, which the INGEST ranges
 * must cover exactly, so a removed last entry or a signal committed without its entry is a break.
 */
public final class LedgerChecker {

    private final String tenantId;
    private long entries;
    private long expectedSequence = 1;
    private String previousHash = LedgerEntry.GENESIS;
    private Long firstBroken;
    private long coveredTo;
    private long lastIngest;

    public LedgerChecker(String tenantId) {
        this.tenantId = tenantId;
    }

    public void accept(LedgerEntry entry) {
        entries++;
        boolean broken = entry.sequence() != expectedSequence || !entry.tenantId().equals(tenantId)
                || !entry.prevHash().equals(previousHash) || !entry.selfConsistent();
        if (entry.action() == LedgerAction.INGEST) {
            Optional<IngestRange> range = IngestRange.parse(entry.summary());
            // Only a tenant's first INGEST entry may stand for the signals stored before the ledger.
            broken |= range.isEmpty() || range.get().first() != coveredTo + 1
                    || range.get().beforeLedger() && (coveredTo != 0 || !entry.digest().equals(IngestRange.NOTHING));
            coveredTo = range.map(IngestRange::last).orElse(coveredTo);
            lastIngest = entry.sequence();
        }
        if (broken) {
            breakAt(Math.min(entry.sequence(), expectedSequence));
        }
        expectedSequence = entry.sequence() + 1;
        previousHash = entry.hash();
    }

    /** A stored entry, readable or not: one that makes no entry is broken (never an exception). */
    public void accept(StoredLedgerEntry stored) {
        Optional<LedgerEntry> entry = stored.entry(tenantId);
        if (entry.isPresent()) {
            accept(entry.get());
            return;
        }
        entries++;
        OptionalLong sequence = stored.sequenceNumber();
        breakAt(sequence.isPresent() ? Math.min(sequence.getAsLong(), expectedSequence) : expectedSequence);
        expectedSequence = (sequence.isPresent() ? sequence.getAsLong() : expectedSequence) + 1;
        previousHash = stored.hash() == null ? "" : stored.hash();
    }

    /** The chain alone: sequences, links and hashes. */
    public LedgerVerification result() {
        return new LedgerVerification(entries, firstBroken == null, firstBroken);
    }

    /**
     * The chain, checked against the tenant's own record of its head ({@code headSequence} 0 and a
     * null hash when it has none) and its count of created signals: a chain shorter than its head
     * breaks at the first missing entry, one longer at the first entry past it, a last entry other than the head's breaks there, and INGEST
     * ranges that end before {@code signalVersion} break where the missing entry belongs, ones that
     * end after it at the last INGEST entry.
     */
    public LedgerVerification result(long headSequence, String headHash, long signalVersion) {
        long last = expectedSequence - 1;
        if (headSequence < last) {
            breakAt(headSequence + 1);
        } else if (headSequence > last) {
            breakAt(expectedSequence);
        } else if (headSequence > 0 && headSequence == last && !previousHash.equals(headHash)) {
            breakAt(last);
        }
        if (coveredTo < signalVersion) {
            breakAt(expectedSequence);
        } else if (coveredTo > signalVersion) {
            breakAt(lastIngest);
        }
        return result();
    }

    private void breakAt(long sequence) {
        if (firstBroken == null) {
            firstBroken = sequence;
        }
    }
}
