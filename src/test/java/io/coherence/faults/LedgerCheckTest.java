package io.coherence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The account of a tenant's writes, from plain ledgers and stores. */
class LedgerCheckTest {

    private static final Instant TS = Instant.parse("2026-12-01T10:00:00Z");

    private static Ledger.Entry entry(String id, String value, int weight, Ledger.Fate fate) {
        return new Ledger.Entry(new Ledger.Sent("t", "http", id, TS, new BigDecimal(value), weight), fate);
    }

    private static LedgerCheck.Stored stored(String id, double value, double weight) {
        return new LedgerCheck.Stored(id, value, weight);
    }

    @Test
    void everyAcknowledgedSignalStoredOnceIsACleanAccount() {
        List<Ledger.Entry> entries = List.of(entry("a", "0.50", 1, Ledger.Fate.ACKNOWLEDGED),
                entry("b", "1.00", 3, Ledger.Fate.ACKNOWLEDGED));
        LedgerCheck.Account account = LedgerCheck.account(entries, List.of(stored("a", 0.5, 1), stored("b", 1.0, 3)));

        assertThat(account.attempted()).isEqualTo(2);
        assertThat(account.acknowledged()).isEqualTo(2);
        assertThat(account.lost() + account.duplicated() + account.indeterminate() + account.failed()).isZero();
        assertThat(account.clean()).isTrue();
        // (0.5 * 1 + 1.0 * 3) / 4 = 0.875 -> 0.88 half-up
        assertThat(account.expectedScore()).isEqualByComparingTo("0.88");
    }

    @Test
    void anAcknowledgedSignalMissingFromTheStoreIsLost() {
        LedgerCheck.Account account = LedgerCheck.account(
                List.of(entry("a", "0.50", 1, Ledger.Fate.ACKNOWLEDGED), entry("b", "0.20", 1, Ledger.Fate.ACKNOWLEDGED)),
                List.of(stored("a", 0.5, 1)));

        assertThat(account.lost()).isEqualTo(1);
        assertThat(account.lostExamples()).containsExactly("b");
        assertThat(account.clean()).isFalse();
        assertThat(account.expectedScore()).isEqualByComparingTo("0.50");
    }

    @Test
    void copiesBeyondTheFirstAreDuplicatesAndCountOnceInTheExpectedScore() {
        LedgerCheck.Account account = LedgerCheck.account(
                List.of(entry("a", "0.10", 1, Ledger.Fate.ACKNOWLEDGED), entry("b", "0.90", 1, Ledger.Fate.ACKNOWLEDGED)),
                List.of(stored("a", 0.1, 1), stored("a", 0.1, 1), stored("a", 0.1, 1), stored("b", 0.9, 1)));

        assertThat(account.duplicated()).isEqualTo(2);
        assertThat(account.duplicatedExamples()).containsExactly("a x3");
        assertThat(account.storedRows()).isEqualTo(4);
        assertThat(account.expectedScore()).isEqualByComparingTo("0.50");
        assertThat(account.clean()).isFalse();
    }

    @Test
    void storedButNeverAcknowledgedIsIndeterminateAndNeitherIsAFailure() {
        LedgerCheck.Account account = LedgerCheck.account(List.of(
                        entry("gave-up-stored", "0.30", 1, Ledger.Fate.GAVE_UP),
                        entry("gave-up-absent", "0.30", 1, Ledger.Fate.GAVE_UP),
                        entry("refused", "0.30", 1, Ledger.Fate.REFUSED),
                        entry("pending", "0.30", 1, Ledger.Fate.PENDING)),
                List.of(stored("gave-up-stored", 0.3, 1)));

        assertThat(account.indeterminate()).isEqualTo(1);
        assertThat(account.failed()).isEqualTo(3);
        assertThat(account.refused()).isEqualTo(1);
        assertThat(account.acknowledged()).isZero();
        assertThat(account.lost()).isZero();
        assertThat(account.clean()).isTrue();
    }

    @Test
    void aSignalNoClientSentAndAChangedValueAreReported() {
        LedgerCheck.Account account = LedgerCheck.account(List.of(entry("a", "0.40", 2, Ledger.Fate.ACKNOWLEDGED)),
                List.of(stored("a", 0.41, 2), stored("stranger", 1.0, 1)));

        assertThat(account.unknown()).isEqualTo(1);
        assertThat(account.valueMismatches()).isEqualTo(1);
        assertThat(account.clean()).isFalse();
    }

    @Test
    void nothingStoredHasNoExpectedScore() {
        assertThat(LedgerCheck.account(List.of(entry("a", "0.40", 2, Ledger.Fate.GAVE_UP)), List.of()).expectedScore())
                .isNull();
    }

    @Test
    void theExpectedScoreRoundsAnExactHalfUp() {
        // 0.495 exactly: binary doubles make this 0.49499..., the exact decimal sum does not.
        List<Ledger.Entry> entries = new ArrayList<>();
        List<LedgerCheck.Stored> stored = new ArrayList<>();
        entries.add(entry("a", "0.99", 1, Ledger.Fate.ACKNOWLEDGED));
        entries.add(entry("b", "0.00", 1, Ledger.Fate.ACKNOWLEDGED));
        stored.add(stored("a", 0.99, 1));
        stored.add(stored("b", 0.0, 1));
        assertThat(LedgerCheck.account(entries, stored).expectedScore()).isEqualByComparingTo("0.50");
    }

    @Test
    void theLedgerRefusesASignalIdSentUnderTwoBodies() {
        Ledger ledger = new Ledger();
        Ledger.Sent s = new Ledger.Sent("t", "http", "a", TS, BigDecimal.ONE, 1);
        ledger.attempted(List.of(s));
        ledger.settle(List.of(s), Ledger.Fate.ACKNOWLEDGED);

        assertThat(ledger.count("t", "http", Ledger.Fate.ACKNOWLEDGED)).isEqualTo(1);
        assertThat(ledger.entries("t", "kafka")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ledger.attempted(List.of(s)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
