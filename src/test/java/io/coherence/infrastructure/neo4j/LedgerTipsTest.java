package io.coherence.infrastructure.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.IngestCommit;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerTipsTest {

    private static final Instant AT = Instant.parse("2026-12-02T11:00:00.123456Z");

    private final LedgerTips tips = new LedgerTips();

    private static Map<String, Object> row(int index, String tenant, String signalId) {
        Map<String, Object> row = new HashMap<>();
        row.put("index", index);
        row.put("tenantId", tenant);
        row.put("source", "probe");
        row.put("signalId", signalId);
        row.put("ts", AT.atZone(ZoneOffset.UTC));
        row.put("provenanceId", "prov-" + tenant + "-" + signalId);
        row.put("requestHash", "req-" + signalId);
        return row;
    }

    @Test
    void aTenantThisReplicaHasNotSeenGetsNoPrediction() {
        assertThat(tips.predict(List.of(row(0, "a", "s-1")), AT)).isEmpty();
    }

    @Test
    void thePredictedEntryFollowsTheTipWithEveryRowCreatedInRowOrder() {
        tips.learn(Map.of("a", new LedgerTips.Tip(4, "ab".repeat(32), 10)));

        List<Map<String, Object>> entries = tips.predict(List.of(row(1, "a", "s-x"), row(0, "a", "s-y")), AT);

        IngestCommit commit = new IngestCommit(List.of(new IngestCommit.Created(11, "prov-a-s-x", "req-s-x"),
                new IngestCommit.Created(12, "prov-a-s-y", "req-s-y")));
        LedgerEntry expected = LedgerEntry.link("a", 5, AT, LedgerAction.INGEST, "signals 11-12 (2)", commit.digest(), "ab".repeat(32));
        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("sequence", 5L).containsEntry("hash", expected.hash())
                    .containsEntry("prevHash", "ab".repeat(32)).containsEntry("digest", commit.digest())
                    .containsEntry("summary", "signals 11-12 (2)").containsEntry("at", "2026-12-02T11:00:00.123Z")
                    .containsEntry("headSequence", 4L).containsEntry("coveredBefore", 10L).containsEntry("coveredTo", 12L)
                    .containsEntry("rows", List.of(List.of(1, 11L), List.of(0, 12L)));
        });
    }

    @Test
    void anEmptyChainIsFollowedFromGenesis() {
        tips.learn(Map.of("a", new LedgerTips.Tip(0, LedgerEntry.GENESIS, 0)));

        assertThat(tips.predict(List.of(row(0, "a", "s-1")), AT)).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("prevHash", LedgerEntry.GENESIS).containsEntry("sequence", 1L));
    }

    @Test
    void rowsThatCannotAllCreateAreNotPredictedButOtherTenantsAre() {
        tips.learn(Map.of("a", new LedgerTips.Tip(1, "ab".repeat(32), 1), "b", new LedgerTips.Tip(1, "cd".repeat(32), 1)));
        Map<String, Object> sameProvenance = row(2, "b", "s-3");
        sameProvenance.put("provenanceId", "prov-b-s-2");

        assertThat(tips.predict(List.of(row(0, "a", "s-2"), row(1, "a", "s-2"), row(2, "b", "s-2")), AT))
                .extracting(e -> e.get("tenantId")).containsExactly("b");
        assertThat(tips.predict(List.of(row(0, "b", "s-2"), sameProvenance), AT)).isEmpty();
    }

    @Test
    void aForgottenTenantAndAFullMemoryStartOver() {
        tips.learn(Map.of("a", new LedgerTips.Tip(1, "ab".repeat(32), 1)));
        tips.forget(List.of("a"));
        assertThat(tips.predict(List.of(row(0, "a", "s-2")), AT)).isEmpty();

        Map<String, LedgerTips.Tip> many = new HashMap<>();
        for (int i = 0; i < LedgerTips.MAX_TENANTS; i++) {
            many.put("t" + i, new LedgerTips.Tip(1, "ab".repeat(32), 1));
        }
        tips.learn(many);
        tips.learn(Map.of("z", new LedgerTips.Tip(1, "ab".repeat(32), 1)));

        assertThat(tips.predict(List.of(row(0, "t0", "s-2")), AT)).isEmpty();
        assertThat(tips.predict(List.of(row(0, "z", "s-2")), AT)).hasSize(1);
    }
}
