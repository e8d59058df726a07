package io.coherence.faults;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** Everything one fault's run established, for the report and summary.json. */
record FaultResult(Fault fault, String httpTenant, String kafkaTenant, LedgerCheck.Account http,
                   LedgerCheck.Account kafka, long httpRequests, long replays, Map<String, Long> writeAnswers,
                   Map<String, Long> readAnswers, Map<String, Long> bridgeEvents, long unexpectedErrors,
                   List<String> unexpected, ScoreCheck httpScore, ScoreCheck kafkaScore, double outageSeconds,
                   Recovery recovery, List<String> notes, Map<String, Double> metrics, List<ProvenanceAudit> ledgers) {

    /** The recovery goal of issue 13, in seconds after the store (or the server) is back. */
    static final double RECOVERY_GOAL_SECONDS = 10.0;

    /**
     * The materialized score against the weighted mean of the distinct stored signals, and the
     * tenant's counters against the distinct signals: a signal counted twice shows in either.
     */
    record ScoreCheck(BigDecimal expected, BigDecimal materialized, long signalVersion, long scoredVersion,
                      long distinctStored, long emits, long storedRows) {

        /** The materializer scored the tenant at its last signal version. */
        boolean caughtUp() {
            return scoredVersion >= signalVersion;
        }

        boolean scoreOk() {
            return expected == null ? materialized == null || materialized.signum() == 0
                    : materialized != null && expected.compareTo(materialized) == 0;
        }

        boolean countsOk() {
            return signalVersion == distinctStored && emits == storedRows;
        }
    }

    /**
     * Seconds after the store came back (or the restarted server was ready); null where the thing
     * measured never happened (no error after the return) or was not reached before the deadline.
     */
    record Recovery(double restartSeconds, Double firstWriteOk, Double lastWriteError, Double firstReadOk,
                    Double lastReadNotOk, Double kafkaCaughtUp, Double scoreCaughtUp, Double materializerBack,
                    Double bridgeBack,
                    boolean reached, double total) {
    }

    long lost() {
        return http.lost() + kafka.lost();
    }

    long duplicated() {
        return http.duplicated() + kafka.duplicated();
    }

    /**
     * What makes the suite fail: anything acknowledged lost, anything stored or counted twice, or a
     * tenant's provenance ledger that does not verify or does not cover a stored signal.
     */
    List<String> failures() {
        java.util.ArrayList<String> failures = new java.util.ArrayList<>();
        if (lost() > 0) {
            failures.add(lost() + " acknowledged signals lost (e.g. " + examples(http.lostExamples(), kafka.lostExamples()) + ")");
        }
        if (duplicated() > 0) {
            failures.add(duplicated() + " duplicated signals (e.g. "
                    + examples(http.duplicatedExamples(), kafka.duplicatedExamples()) + ")");
        }
        if (http.unknown() + kafka.unknown() > 0) {
            failures.add(http.unknown() + kafka.unknown() + " stored signals no client sent");
        }
        if (http.valueMismatches() + kafka.valueMismatches() > 0) {
            failures.add(http.valueMismatches() + kafka.valueMismatches() + " stored signals with another value or weight");
        }
        for (ScoreCheck s : List.of(httpScore, kafkaScore)) {
            if (!s.countsOk()) {
                failures.add("counted twice: signal_version " + s.signalVersion() + " / EMITS " + s.emits()
                        + " for " + s.distinctStored() + " distinct signals in " + s.storedRows() + " nodes");
            }
            // A stale score (the materializer behind) is a goal missed; a wrong one once it caught up is a miscount.
            if (s.caughtUp() && !s.scoreOk()) {
                failures.add("materialized score " + s.materialized() + " != expected " + s.expected());
            }
        }
        // Issue 15: no acknowledged (or any stored) signal without its ledger entry, whatever the fault.
        ledgers.stream().filter(l -> !l.ok()).limit(3).forEach(l -> failures.add("ledger " + l.describe()));
        return failures;
    }

    /** The goal beyond the failures: no unexpected error answer, recovered within 10 s. */
    List<String> goalMisses() {
        java.util.ArrayList<String> misses = new java.util.ArrayList<>();
        if (unexpectedErrors > 0) {
            misses.add(unexpectedErrors + " error answers where no store the request needs was down");
        }
        if (!recovery.reached()) {
            misses.add("not recovered before the deadline");
        } else if (recovery.total() > RECOVERY_GOAL_SECONDS) {
            misses.add(String.format(java.util.Locale.ROOT, "recovery %.1f s > %.0f s", recovery.total(), RECOVERY_GOAL_SECONDS));
        }
        for (ScoreCheck s : List.of(httpScore, kafkaScore)) {
            if (!s.caughtUp()) {
                misses.add("the materializer had scored signal_version " + s.scoredVersion() + " of " + s.signalVersion()
                        + " by the end");
            }
        }
        if (http.indeterminate() + kafka.indeterminate() > 0) {
            misses.add(http.indeterminate() + kafka.indeterminate() + " signals stored but never acknowledged");
        }
        return misses;
    }

    private static String examples(List<String> a, List<String> b) {
        java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return String.join(", ", all.subList(0, Math.min(3, all.size())));
    }
}
