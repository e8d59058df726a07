package io.coherence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What fails the suite (lost, doubled, miscounted) and what only misses the goal. */
class FaultResultTest {

    private static LedgerCheck.Account account(long lost, long duplicated, long indeterminate) {
        return new LedgerCheck.Account(100, 100 - lost, 0, lost, duplicated, indeterminate, 0, 0, 0, 100 + duplicated,
                new BigDecimal("0.50"), lost > 0 ? List.of("w0-1-0") : List.of(), duplicated > 0 ? List.of("w0-2-0 x2") : List.of());
    }

    private static FaultResult.ScoreCheck score(String materialized, long signalVersion, long scoredVersion) {
        return new FaultResult.ScoreCheck(new BigDecimal("0.50"), new BigDecimal(materialized), signalVersion, scoredVersion,
                100, 100, 100);
    }

    private static FaultResult.Recovery recovered(double seconds) {
        return new FaultResult.Recovery(0, 0.1, null, 0.1, null, 0.5, 1.0, 0.9, 0.2, true, seconds);
    }

    private static FaultResult result(LedgerCheck.Account http, FaultResult.ScoreCheck score, FaultResult.Recovery recovery,
                                      long unexpected) {
        return new FaultResult(Fault.NEO4J_DOWN, "h", "k", http, account(0, 0, 0), 20, 0, Map.of(), Map.of(), Map.of(),
                unexpected, List.of(), score, score("0.50", 100, 100), 30, recovery, List.of(),
                Map.of(), List.of(new ProvenanceAudit("h", 7, true, null, 100, 100, 100, 0)));
    }

    @Test
    void aCleanQuickRecoveryNeitherFailsNorMissesTheGoal() {
        FaultResult r = result(account(0, 0, 0), score("0.50", 100, 100), recovered(3.2), 0);
        assertThat(r.failures()).isEmpty();
        assertThat(r.goalMisses()).isEmpty();
    }

    @Test
    void lostOrDuplicatedSignalsFailTheSuite() {
        assertThat(result(account(1, 0, 0), score("0.50", 100, 100), recovered(1), 0).failures())
                .singleElement().asString().contains("lost", "w0-1-0");
        assertThat(result(account(0, 1, 0), score("0.50", 100, 100), recovered(1), 0).failures())
                .singleElement().asString().contains("duplicated", "w0-2-0 x2");
    }

    @Test
    void aWrongScoreFailsOnlyOnceTheMaterializerCaughtUp() {
        assertThat(result(account(0, 0, 0), score("0.43", 100, 100), recovered(1), 0).failures())
                .singleElement().asString().contains("0.43");
        FaultResult stale = result(account(0, 0, 0), score("0.43", 100, 20), recovered(1), 0);
        assertThat(stale.failures()).isEmpty();
        assertThat(stale.goalMisses()).singleElement().asString().contains("signal_version 20 of 100");
    }

    @Test
    void aSignalCountedTwiceFailsTheSuite() {
        FaultResult.ScoreCheck doubled = new FaultResult.ScoreCheck(new BigDecimal("0.50"), new BigDecimal("0.50"), 101, 101,
                100, 100, 100);
        assertThat(result(account(0, 0, 0), doubled, recovered(1), 0).failures())
                .singleElement().asString().contains("counted twice");
    }

    @Test
    void aLedgerThatDoesNotVerifyOrCoverItsSignalsFailsTheSuite() {
        FaultResult clean = result(account(0, 0, 0), score("0.50", 100, 100), recovered(1), 0);
        for (ProvenanceAudit bad : List.of(new ProvenanceAudit("h", 7, false, 5L, 100, 100, 100, 0),
                new ProvenanceAudit("h", 7, true, null, 100, 101, 100, 1),
                new ProvenanceAudit("h", 7, true, null, 100, 100, 99, 0))) {
            FaultResult r = new FaultResult(clean.fault(), "h", "k", clean.http(), clean.kafka(), 20, 0, Map.of(), Map.of(),
                    Map.of(), 0, List.of(), clean.httpScore(), clean.kafkaScore(), 30, clean.recovery(), List.of(), Map.of(),
                    List.of(bad));
            assertThat(r.failures()).as(bad.toString()).singleElement().asString().startsWith("ledger tenant h:");
        }
    }

    @Test
    void slowRecoveryUnexpectedErrorsAndIndeterminateWritesMissTheGoal() {
        FaultResult r = result(account(0, 0, 2), score("0.50", 100, 100), recovered(12.5), 3);
        assertThat(r.failures()).isEmpty();
        assertThat(r.goalMisses()).hasSize(3).anySatisfy(m -> assertThat(m).contains("12.5 s > 10 s"))
                .anySatisfy(m -> assertThat(m).contains("3 error answers"))
                .anySatisfy(m -> assertThat(m).contains("2 signals stored but never acknowledged"));
    }
}
