package io.coherence.domain.provenance;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The signals one ingest transaction created for one tenant, as its ledger entry records them: the
 * tenant's signal sequences (contiguous, taken under the tenant's lock) and, per signal, only its
 * provenance id and request hash, never the signal's content.
 */
public record IngestCommit(List<Created> signals) {

    /** One created signal: its place in the tenant's signal order and where it came from. */
    public record Created(long sequence, String provenanceId, String requestHash) {

        public Created {
            Objects.requireNonNull(provenanceId, "provenanceId");
            Objects.requireNonNull(requestHash, "requestHash");
        }
    }

    public IngestCommit {
        if (signals.isEmpty()) {
            throw new IllegalArgumentException("an ingest entry records at least one created signal");
        }
        signals = signals.stream().sorted(Comparator.comparingLong(Created::sequence)).toList();
        for (int i = 1; i < signals.size(); i++) {
            if (signals.get(i).sequence() != signals.get(i - 1).sequence() + 1) {
                throw new IllegalArgumentException("the signals of one transaction have contiguous sequences");
            }
        }
    }

    public IngestRange range() {
        return new IngestRange(signals.get(0).sequence(), signals.get(signals.size() - 1).sequence(), false);
    }

    /** SHA-256 over one line per signal, {@code sequence TAB provenanceId TAB requestHash}, in sequence order. */
    public String digest() {
        StringBuilder lines = new StringBuilder(signals.size() * 120);
        for (Created c : signals) {
            lines.append(c.sequence()).append('\t').append(c.provenanceId()).append('\t').append(c.requestHash()).append('\n');
        }
        return Sha256.hex(lines.toString());
    }
}
