package io.coherence.domain.provenance;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tenant signal sequences an INGEST entry covers, written as its summary: {@code signals 12-15 (4)}.
 * A tenant's first entry may cover the signals it stored before the ledger existed
 * ({@code signals 1-11 (11) before the ledger}, digest of nothing), so coverage always starts at 1.
 */
public record IngestRange(long first, long last, boolean beforeLedger) {

    private static final Pattern SUMMARY = Pattern.compile("signals (\\d{1,18})-(\\d{1,18}) \\((\\d{1,18})\\)( before the ledger)?");

    /** The digest of a before-the-ledger entry: nothing was hashed. */
    public static final String NOTHING = Sha256.hex("");

    public IngestRange {
        if (first < 1 || last < first) {
            throw new IllegalArgumentException("a range of signal sequences starts at 1 or later and is not empty");
        }
    }

    public long count() {
        return last - first + 1;
    }

    public String summary() {
        return "signals " + first + "-" + last + " (" + count() + ")" + (beforeLedger ? " before the ledger" : "");
    }

    /** The range an INGEST summary states; empty when the text is not one (a broken entry). */
    public static Optional<IngestRange> parse(String summary) {
        Matcher m = SUMMARY.matcher(summary);
        if (!m.matches()) {
            return Optional.empty();
        }
        long first = Long.parseLong(m.group(1));
        long last = Long.parseLong(m.group(2));
        long count = Long.parseLong(m.group(3));
        if (first < 1 || last < first || count != last - first + 1) {
            return Optional.empty();
        }
        return Optional.of(new IngestRange(first, last, m.group(4) != null));
    }
}
