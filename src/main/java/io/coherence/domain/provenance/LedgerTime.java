package io.coherence.domain.provenance;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Ledger times: UTC, milliseconds, always the same text for the same instant (it is hashed). */
public final class LedgerTime {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private LedgerTime() {
    }

    /** Truncates to milliseconds: what a store keeps of an entry's time. */
    public static Instant of(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    public static String format(Instant at) {
        return FORMAT.format(of(at));
    }
}
