package io.coherence.faults;

import java.util.Locale;

/**
 * One tenant's provenance ledger after a fault, read straight from Neo4j: the chain verifies (its
 * INGEST ranges cover 1..signal_version) and every stored signal has a distinct sequence within
 * that range, so no stored signal lacks its entry.
 */
record ProvenanceAudit(String tenant, long entries, boolean valid, Long firstBroken, long signalVersion, long stored,
                       long distinctSequences, long outside) {

    boolean ok() {
        return valid && outside == 0 && distinctSequences == stored;
    }

    String describe() {
        return String.format(Locale.ROOT, "tenant %s: %d entries, %s; signal_version %d, %d signals stored, %d outside 1..%d,"
                        + " %d distinct sequences", tenant, entries, valid ? "valid" : "broken at " + firstBroken, signalVersion,
                stored, outside, signalVersion, distinctSequences);
    }
}
