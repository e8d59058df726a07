package io.coherence.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerCheckerTest {

    private final LedgerChains chain = new LedgerChains("t-1")
            .ingest(4).ingest(1).add(LedgerAction.POLICY, "retentionTier SHORT_30D", Sha256.hex("policy")).ingest(3);

    private List<StoredLedgerEntry> stored() {
        return new ArrayList<>(chain.stored());
    }

    private static StoredLedgerEntry withSummary(StoredLedgerEntry e, String summary) {
        return new StoredLedgerEntry(e.sequence(), e.at(), e.action(), summary, e.digest(), e.prevHash(), e.hash());
    }

    @Test
    void anUntouchedChainIsValid() {
        assertThat(chain.check(stored())).isEqualTo(new LedgerVerification(4, true, null));
    }

    @Test
    void anEmptyLedgerOfATenantWithoutSignalsIsValid() {
        assertThat(new LedgerChecker("t-0").result(0, null, 0)).isEqualTo(new LedgerVerification(0, true, null));
    }

    @Test
    void anEditedEntryIsNamed() {
        List<StoredLedgerEntry> stored = stored();
        stored.set(1, withSummary(stored.get(1), "signals 5-5 (1) "));

        assertThat(chain.check(stored)).isEqualTo(new LedgerVerification(4, false, 2L));
    }

    @Test
    void anEntryRehashedAfterAnEditBreaksTheNextLink() {
        List<LedgerEntry> entries = chain.entries();
        LedgerEntry e = entries.get(1);
        List<StoredLedgerEntry> stored = stored();
        stored.set(1, StoredLedgerEntry.of(LedgerEntry.link("t-1", 2, e.at(), e.action(), e.summary(), Sha256.hex("forged"),
                e.prevHash())));

        assertThat(chain.check(stored).firstBrokenSequence()).isEqualTo(3L);
    }

    @Test
    void aRemovedLastEntryBreaksWhereItWas() {
        List<StoredLedgerEntry> stored = stored();
        stored.remove(3);

        assertThat(chain.check(stored)).isEqualTo(new LedgerVerification(3, false, 4L));
    }

    @Test
    void aRemovedLastEntryWithItsHeadRewoundStillLeavesItsSignalsUncovered() {
        List<StoredLedgerEntry> stored = stored();
        stored.remove(3);

        assertThat(chain.check(stored, 3, chain.entries().get(2).hash(), chain.signals()).firstBrokenSequence()).isEqualTo(4L);
    }

    @Test
    void aReplacedLastEntryDisagreesWithTheHead() {
        List<StoredLedgerEntry> stored = stored();
        LedgerEntry last = chain.entries().get(3);
        stored.set(3, StoredLedgerEntry.of(LedgerEntry.link("t-1", 4, last.at(), LedgerAction.INGEST, last.summary(),
                Sha256.hex("other signals"), last.prevHash())));

        assertThat(chain.check(stored).firstBrokenSequence()).isEqualTo(4L);
    }

    @Test
    void aRemovedMiddleEntryBreaksAtTheGap() {
        List<StoredLedgerEntry> stored = stored();
        stored.remove(1);

        assertThat(chain.check(stored).firstBrokenSequence()).isEqualTo(2L);
    }

    @Test
    void signalsCommittedWithoutTheirEntryBreakWhereTheEntryBelongs() {
        chain.signalsWithoutEntry(2);

        assertThat(chain.check(stored())).isEqualTo(new LedgerVerification(4, false, 5L));
    }

    @Test
    void aGapBetweenIngestRangesBreaksAtTheEntryAfterIt() {
        LedgerChains gap = new LedgerChains("t-1").ingest(2).signalsWithoutEntry(1).ingest(2);

        assertThat(gap.check(gap.stored()).firstBrokenSequence()).isEqualTo(2L);
    }

    @Test
    void rangesBeyondTheSignalsCreatedBreakAtTheLastIngestEntry() {
        assertThat(chain.check(stored(), 4, chain.headHash(), chain.signals() - 1).firstBrokenSequence()).isEqualTo(4L);
    }

    @Test
    void theSignalsFromBeforeTheLedgerMayOnlyBeTheFirstRange() {
        LedgerChains upgraded = new LedgerChains("t-1")
                .add(LedgerAction.INGEST, new IngestRange(1, 10, true).summary(), IngestRange.NOTHING);
        upgraded.signalsWithoutEntry(10);
        upgraded.ingest(2);
        assertThat(upgraded.check(upgraded.stored()).valid()).isTrue();

        LedgerChains late = new LedgerChains("t-1").ingest(2)
                .add(LedgerAction.INGEST, new IngestRange(3, 5, true).summary(), IngestRange.NOTHING);
        late.signalsWithoutEntry(3);
        assertThat(late.check(late.stored()).firstBrokenSequence()).isEqualTo(2L);
    }

    @Test
    void storedGarbageIsABrokenEntryNotAnException() {
        StoredLedgerEntry good = chain.stored().get(1);
        List<StoredLedgerEntry> garbage = List.of(
                new StoredLedgerEntry(good.sequence(), good.at(), "DELETE_EVERYTHING", good.summary(), good.digest(), good.prevHash(), good.hash()),
                new StoredLedgerEntry(good.sequence(), good.at(), good.action(), null, good.digest(), good.prevHash(), good.hash()),
                new StoredLedgerEntry(good.sequence(), "yesterday", good.action(), good.summary(), good.digest(), good.prevHash(), good.hash()),
                new StoredLedgerEntry(good.sequence(), "2026-12-02T11:00:01Z", good.action(), good.summary(), good.digest(),
                        good.prevHash(), good.hash()),
                new StoredLedgerEntry("2.0", good.at(), good.action(), good.summary(), good.digest(), good.prevHash(), good.hash()),
                new StoredLedgerEntry(good.sequence(), good.at(), good.action(), "signals 5-9 (1)", good.digest(), good.prevHash(), good.hash()));
        for (StoredLedgerEntry bad : garbage) {
            List<StoredLedgerEntry> stored = stored();
            stored.set(1, bad);

            assertThat(chain.check(stored)).as(bad.toString()).isEqualTo(new LedgerVerification(4, false, 2L));
        }
    }

    @Test
    void anEntryOfAnotherTenantIsBroken() {
        LedgerChains other = new LedgerChains("t-2").ingest(4);
        List<StoredLedgerEntry> stored = stored();
        stored.set(0, other.stored().get(0));

        assertThat(chain.check(stored).firstBrokenSequence()).isEqualTo(1L);
    }
}
