package io.coherence.faults;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Jepsen-style account of one tenant's writes on one channel: the ledger (what clients sent
 * and were told) against what the store holds afterwards. Plain data in, plain data out.
 */
final class LedgerCheck {

    /** How many signal ids an account names as examples. */
    static final int EXAMPLES = 5;

    /** A signal as the store holds it. */
    record Stored(String signalId, double value, double weight) {
    }

    /**
     * The account. {@code lost}: acknowledged, not stored. {@code duplicated}: stored copies beyond
     * the first of a signal. {@code indeterminate}: stored, never acknowledged. {@code failed}: never
     * acknowledged and not stored (a clean failure the client knows of). {@code unknown}: stored but
     * never sent by this client. {@code expectedScore}: the weighted mean of the distinct stored
     * signals, from the values the client sent, rounded half-up to two decimals (null without any).
     */
    record Account(long attempted, long acknowledged, long refused, long lost, long duplicated, long indeterminate,
                   long failed, long unknown, long valueMismatches, long storedRows, BigDecimal expectedScore,
                   List<String> lostExamples, List<String> duplicatedExamples) {

        boolean clean() {
            return lost == 0 && duplicated == 0 && unknown == 0 && valueMismatches == 0;
        }
    }

    private LedgerCheck() {
    }

    static Account account(List<Ledger.Entry> entries, List<Stored> stored) {
        Map<String, List<Stored>> copies = new HashMap<>();
        for (Stored s : stored) {
            copies.computeIfAbsent(s.signalId(), id -> new ArrayList<>()).add(s);
        }
        long acknowledged = 0;
        long refused = 0;
        long lost = 0;
        long indeterminate = 0;
        long failed = 0;
        long mismatches = 0;
        BigDecimal weightedSum = BigDecimal.ZERO;
        BigDecimal weightSum = BigDecimal.ZERO;
        List<String> lostExamples = new ArrayList<>();
        Set<String> sent = new HashSet<>();
        for (Ledger.Entry e : entries) {
            Ledger.Sent s = e.sent();
            sent.add(s.signalId());
            List<Stored> held = copies.getOrDefault(s.signalId(), List.of());
            boolean ack = e.fate() == Ledger.Fate.ACKNOWLEDGED;
            acknowledged += ack ? 1 : 0;
            refused += e.fate() == Ledger.Fate.REFUSED ? 1 : 0;
            if (ack && held.isEmpty()) {
                lost++;
                if (lostExamples.size() < EXAMPLES) {
                    lostExamples.add(s.signalId());
                }
            } else if (!ack && !held.isEmpty()) {
                indeterminate++;
            } else if (!ack) {
                failed++;
            }
            for (Stored copy : held) {
                if (BigDecimal.valueOf(copy.value()).compareTo(s.value()) != 0
                        || BigDecimal.valueOf(copy.weight()).compareTo(BigDecimal.valueOf(s.weight())) != 0) {
                    mismatches++;
                }
            }
            if (!held.isEmpty()) {
                BigDecimal w = BigDecimal.valueOf(s.weight());
                weightedSum = weightedSum.add(s.value().multiply(w));
                weightSum = weightSum.add(w);
            }
        }
        long duplicated = 0;
        long unknown = 0;
        List<String> duplicatedExamples = new ArrayList<>();
        for (Map.Entry<String, List<Stored>> c : copies.entrySet()) {
            int n = c.getValue().size();
            if (n > 1) {
                duplicated += n - 1;
                if (duplicatedExamples.size() < EXAMPLES) {
                    duplicatedExamples.add(c.getKey() + " x" + n);
                }
            }
            if (!sent.contains(c.getKey())) {
                unknown += n;
            }
        }
        BigDecimal expected = weightSum.signum() == 0 ? null
                : weightedSum.divide(weightSum, MathContext.DECIMAL128).setScale(2, RoundingMode.HALF_UP);
        return new Account(entries.size(), acknowledged, refused, lost, duplicated, indeterminate, failed, unknown,
                mismatches, stored.size(), expected, List.copyOf(lostExamples), List.copyOf(duplicatedExamples));
    }
}
