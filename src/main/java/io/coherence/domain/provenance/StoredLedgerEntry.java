package io.coherence.domain.provenance;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A ledger entry's fields as text, exactly as a store holds them (null where a field is missing),
 * before anyone trusts them: what an export writes and what a check reads. A stored entry that does
 * not make a {@link LedgerEntry} (a missing field, an unknown action, a bad time) is a broken entry.
 */
public record StoredLedgerEntry(String sequence, String at, String action, String summary, String digest,
                                String prevHash, String hash) {

    private static final int MAX_SEQUENCE_DIGITS = 18;

    public static StoredLedgerEntry of(LedgerEntry e) {
        return new StoredLedgerEntry(Long.toString(e.sequence()), LedgerTime.format(e.at()), e.action().name(),
                e.summary(), e.digest(), e.prevHash(), e.hash());
    }

    /** The entry's sequence, when it is a plain non-negative integer. */
    public OptionalLong sequenceNumber() {
        if (sequence == null || sequence.isEmpty() || sequence.length() > MAX_SEQUENCE_DIGITS
                || !sequence.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(sequence));
    }

    /** The entry of the tenant these fields make, or empty when they make none. */
    public Optional<LedgerEntry> entry(String tenantId) {
        OptionalLong number = sequenceNumber();
        if (number.isEmpty() || at == null || action == null || summary == null || digest == null
                || prevHash == null || hash == null) {
            return Optional.empty();
        }
        LedgerAction kind;
        Instant instant;
        try {
            kind = LedgerAction.valueOf(action);
            instant = Instant.parse(at);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
        // The hash covers the time's text; another spelling of the same instant is not the stored entry.
        if (!LedgerTime.format(instant).equals(at)) {
            return Optional.empty();
        }
        return Optional.of(new LedgerEntry(tenantId, number.getAsLong(), instant, kind, summary, digest, prevHash, hash));
    }
}
