package io.coherence.faults;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every signal a client attempted, and what the client was told about it: acknowledged (a 202, or
 * the producer's ack), refused (a 4xx that retrying cannot change), or nothing conclusive before
 * the client gave up. Thread-safe: writers record while the checker reads at the end.
 */
final class Ledger {

    /** What the client knows about a signal it sent. */
    enum Fate { PENDING, ACKNOWLEDGED, REFUSED, GAVE_UP }

    /** A signal as sent: its identity within the tenant, and the value and weight it scores with. */
    record Sent(String tenant, String channel, String signalId, Instant ts, BigDecimal value, int weight) {
    }

    /** A signal and its fate. */
    record Entry(Sent sent, Fate fate) {
    }

    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, Fate> fates = new ConcurrentHashMap<>();

    void attempted(Collection<Sent> signals) {
        for (Sent s : signals) {
            if (sent.putIfAbsent(key(s), s) != null) {
                throw new IllegalArgumentException("signal attempted twice under new bodies: " + s.signalId());
            }
            fates.put(key(s), Fate.PENDING);
        }
    }

    void settle(Collection<Sent> signals, Fate fate) {
        for (Sent s : signals) {
            fates.put(key(s), fate);
        }
    }

    /** The entries of one tenant and channel, for the checker. */
    List<Entry> entries(String tenant, String channel) {
        return sent.entrySet().stream()
                .filter(e -> e.getValue().tenant().equals(tenant) && e.getValue().channel().equals(channel))
                .map(e -> new Entry(e.getValue(), fates.get(e.getKey())))
                .toList();
    }

    long count(String tenant, String channel, Fate fate) {
        return entries(tenant, channel).stream().filter(e -> e.fate() == fate).count();
    }

    private static String key(Sent s) {
        return s.tenant() + '\u0000' + s.signalId();
    }
}
