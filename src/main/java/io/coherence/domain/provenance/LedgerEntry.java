package io.coherence.domain.provenance;

import java.time.Instant;
import java.util.Objects;

/**
 * One link of a tenant's provenance ledger: the tenant's gapless entry {@code sequence} (1, 2, 3,
 * ...), when, what kind of change, a short non-personal {@code summary} (counts, sequence ranges,
 * versions) and the SHA-256 {@code digest} of the change's payload; never personal data itself.
 * {@code hash} covers every other field and {@code prevHash}, the hash of entry {@code sequence - 1}
 * ({@link #GENESIS} for the first), so an edited, removed or reordered entry breaks the chain.
 */
public record LedgerEntry(String tenantId, long sequence, Instant at, LedgerAction action, String summary,
                          String digest, String prevHash, String hash) {

    /** The {@code prevHash} of a tenant's first entry. */
    public static final String GENESIS = "0".repeat(64);

    public LedgerEntry {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(prevHash, "prevHash");
        Objects.requireNonNull(hash, "hash");
    }

    /** The entry that follows {@code prevHash} at {@code sequence}, with its hash computed. */
    public static LedgerEntry link(String tenantId, long sequence, Instant at, LedgerAction action, String summary,
                                   String digest, String prevHash) {
        return new LedgerEntry(tenantId, sequence, at, action, summary, digest, prevHash,
                hashOf(tenantId, sequence, at, action, summary, digest, prevHash));
    }

    /** Whether {@code hash} is the hash of the other fields. */
    public boolean selfConsistent() {
        return hash.equals(hashOf(tenantId, sequence, at, action, summary, digest, prevHash));
    }

    /**
     * The canonical text hashed, one field per line, the instant in ISO-8601 UTC with milliseconds:
     * the offline check (docs/governance.md) computes the same.
     */
    static String hashOf(String tenantId, long sequence, Instant at, LedgerAction action, String summary,
                         String digest, String prevHash) {
        return Sha256.hex(String.join("\n", prevHash, tenantId, Long.toString(sequence),
                LedgerTime.format(at), action.name(), summary, digest));
    }
}
