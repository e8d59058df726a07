package io.coherence.application.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.RetentionEntry;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetentionServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final TenantId ACME = TenantId.of("acme");
    private static final Runnable NOTHING = () -> { };

    private final MovableClock clock = new MovableClock(NOW);
    private final FakeRetentionStore store = new FakeRetentionStore();
    private final FakeScoreStores scoreStores = new FakeScoreStores();
    private final Map<TenantId, TenantDataPolicy> policies = new HashMap<>();
    private RetentionSettings settings = new RetentionSettings(1000, 1000, Duration.ofDays(1), Duration.ofMinutes(15));
    private ScoringSettings scoring = new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofMinutes(1), 500);

    private RetentionService service() {
        return new RetentionService(store, t -> policies.getOrDefault(t, policy(t, RetentionTier.STANDARD_365D, false)),
                scoreStores, scoreStores, new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), settings, scoring,
                clock, new RetentionMetrics(null, settings));
    }

    private static TenantDataPolicy policy(TenantId tenant, RetentionTier tier, boolean hold) {
        return new TenantDataPolicy(tenant, tier, "benchmarking", "Restricted-TOS", "US", hold, null);
    }

    private void tier(TenantId tenant, RetentionTier tier, boolean hold) {
        policies.put(tenant, policy(tenant, tier, hold));
    }

    private static Caller admin(String tenant) {
        return new Caller("ops", Optional.of(tenant), Set.of("coherence:admin"));
    }

    @Test
    void deletesTheSignalsOlderThanTheTierInBatchesEachWithItsLedgerEntry() {
        settings = new RetentionSettings(1000, 1000, Duration.ofDays(1), Duration.ofMinutes(15));
        tier(ACME, RetentionTier.SHORT_30D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(31)), 2500);
        store.add(ACME, NOW.minus(Duration.ofDays(29)), 10);
        List<String> before = store.signals.get(ACME).stream().map(FakeRetentionStore.StoredSignal::provenanceId).toList();

        RetentionReport report = service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(report).isEqualTo(new RetentionReport(ACME, RetentionTier.SHORT_30D, false, NOW.minus(Duration.ofDays(30)),
                2500, 2500, false));
        assertThat(store.count(ACME)).isEqualTo(10);
        assertThat(store.ledger).extracting(FakeRetentionStore.Entry::summary).containsExactly(
                "deleted=1000 tier=short-30d cutoff=2026-11-02T12:00:00.000Z",
                "deleted=1000 tier=short-30d cutoff=2026-11-02T12:00:00.000Z",
                "deleted=500 tier=short-30d cutoff=2026-11-02T12:00:00.000Z");
        assertThat(store.ledger.get(2).digest()).isEqualTo(RetentionEntry.digest(before.subList(2000, 2500)));
        // Signals are left: the score stays.
        assertThat(scoreStores.deletions).isEmpty();
    }

    @Test
    void aDryRunCountsWhatWouldGoAndDeletesNothing() {
        tier(ACME, RetentionTier.EPHEMERAL_7D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(8)), 42);
        store.add(ACME, NOW.minus(Duration.ofDays(6)), 3);

        RetentionReport report = service().prune(ACME, true, RetentionService.Trigger.REQUEST, NOTHING);

        assertThat(report.matched()).isEqualTo(42);
        assertThat(report.deleted()).isZero();
        assertThat(report.dryRun()).isTrue();
        assertThat(report.cutoff()).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(store.count(ACME)).isEqualTo(45);
        assertThat(store.ledger).isEmpty();
        assertThat(store.calls).doesNotContain("delete acme", "retire acme");
    }

    @Test
    void aTenantUnderLegalHoldByFlagOrByTierIsNeverPruned() {
        TenantId flagged = TenantId.of("flagged");
        TenantId heldTier = TenantId.of("held-tier");
        tier(flagged, RetentionTier.EPHEMERAL_7D, true);
        tier(heldTier, RetentionTier.LEGAL_HOLD, false);
        store.add(flagged, NOW.minus(Duration.ofDays(3000)), 5);
        store.add(heldTier, NOW.minus(Duration.ofDays(3000)), 5);

        for (boolean dryRun : new boolean[] {true, false}) {
            assertThat(service().prune(flagged, dryRun, RetentionService.Trigger.REQUEST, NOTHING))
                    .isEqualTo(new RetentionReport(flagged, RetentionTier.EPHEMERAL_7D, true, null, 0, 0, dryRun));
            assertThat(service().prune(heldTier, dryRun, RetentionService.Trigger.SCHEDULE, NOTHING))
                    .isEqualTo(new RetentionReport(heldTier, RetentionTier.LEGAL_HOLD, true, null, 0, 0, dryRun));
        }
        assertThat(service().pruneAll(NOTHING)).isEqualTo(new RetentionService.RunTotals(2, 0, 0));
        assertThat(store.count(flagged)).isEqualTo(5);
        assertThat(store.count(heldTier)).isEqualTo(5);
        assertThat(store.calls).filteredOn(c -> !c.startsWith("tenants")).isEmpty();
        assertThat(store.ledger).isEmpty();
    }

    @Test
    void aShorterTierTakesEffectAtTheNextRunAndALongerOneBringsNothingBack() {
        store.add(ACME, NOW.minus(Duration.ofDays(400)), 4);
        store.add(ACME, NOW.minus(Duration.ofDays(100)), 3);
        store.add(ACME, NOW.minus(Duration.ofDays(20)), 2);
        tier(ACME, RetentionTier.STANDARD_365D, false);
        assertThat(service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING).deleted()).isEqualTo(4);

        tier(ACME, RetentionTier.SHORT_30D, false);
        assertThat(service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING).deleted()).isEqualTo(3);
        assertThat(store.count(ACME)).isEqualTo(2);

        tier(ACME, RetentionTier.LONG_1825D, false);
        RetentionReport lengthened = service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);
        assertThat(lengthened.matched()).isZero();
        assertThat(lengthened.deleted()).isZero();
        assertThat(store.count(ACME)).isEqualTo(2);
        assertThat(store.ledger).hasSize(2);
    }

    @Test
    void theBatchBoundLeavesTheRestOfABacklogForTheNextRun() {
        settings = new RetentionSettings(10, 2, Duration.ofDays(1), Duration.ofMinutes(15));
        tier(ACME, RetentionTier.SHORT_30D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(90)), 35);
        AtomicInteger renewals = new AtomicInteger();

        RetentionReport first = service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, renewals::incrementAndGet);
        RetentionReport second = service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(first.matched()).isEqualTo(35);
        assertThat(first.deleted()).isEqualTo(20);
        // Between the two full batches: the holder renews its lock there.
        assertThat(renewals).hasValue(2);
        assertThat(second.matched()).isEqualTo(15);
        assertThat(second.deleted()).isEqualTo(15);
        assertThat(store.ledger).extracting(FakeRetentionStore.Entry::summary)
                .allMatch(s -> s.startsWith("deleted=10 ") || s.startsWith("deleted=5 ")).hasSize(4);
    }

    @Test
    void signalsDeletedInsideTheScoringWindowMakeTheTenantPendingAgain() {
        // A window longer than the tier: a configuration edge, the only way retention reaches into it.
        scoring = new ScoringSettings(Duration.ofDays(10), Duration.ofSeconds(1), Duration.ofMinutes(1), 500);
        TenantId outside = TenantId.of("outside");
        tier(ACME, RetentionTier.EPHEMERAL_7D, false);
        tier(outside, RetentionTier.EPHEMERAL_7D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(8)), 2);
        store.add(ACME, NOW.minus(Duration.ofDays(1)), 1);
        store.add(outside, NOW.minus(Duration.ofDays(11)), 2);
        store.add(outside, NOW.minus(Duration.ofDays(1)), 1);

        service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);
        service().prune(outside, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(store.rescored).containsExactly(ACME);
    }

    @Test
    void withTheDefaultWindowAndTiersNoTenantIsRescored() {
        tier(ACME, RetentionTier.EPHEMERAL_7D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(7)).minusMillis(1), 2);

        assertThat(service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING).deleted()).isEqualTo(2);
        assertThat(store.rescored).isEmpty();
    }

    @Test
    void aTenantLeftWithoutSignalsLosesItsScoreInTheGraphPostgresAndTheCache() {
        tier(ACME, RetentionTier.SHORT_30D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(40)), 3);
        store.scored.add(ACME);
        CoherenceScore score = CoherenceScore.unknown(ACME, NOW.minusSeconds(30));
        scoreStores.upsert(score);
        scoreStores.put(score);

        service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(store.scored).doesNotContain(ACME);
        assertThat(scoreStores.rows).doesNotContainKey(ACME);
        assertThat(scoreStores.cached).doesNotContainKey(ACME);
        assertThat(scoreStores.deletions).containsExactly("row acme <= " + NOW, "cache acme");
    }

    @Test
    void aScoreStoredForANewSignalAfterTheTenantEmptiedStays() {
        tier(ACME, RetentionTier.SHORT_30D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(40)), 1);
        scoreStores.upsert(new CoherenceScore(ACME, 0.5, io.coherence.domain.score.ScoreStatus.WARN, NOW.plusSeconds(1)));

        service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(scoreStores.rows).containsKey(ACME);
    }

    @Test
    void aTenantWithNothingOldIsCountedButNeitherDeletedFromNorWriteLocked() {
        store.add(ACME, NOW.minus(Duration.ofDays(2)), 3);

        RetentionReport report = service().prune(ACME, false, RetentionService.Trigger.SCHEDULE, NOTHING);

        assertThat(report.matched()).isZero();
        assertThat(report.deleted()).isZero();
        assertThat(store.calls).containsExactly("count acme", "retire acme");
        assertThat(store.count(ACME)).isEqualTo(3);
    }

    @Test
    void aRunGoesThroughEveryTenantPageByPageAndPastAFailingOne() {
        settings = new RetentionSettings(1000, 1000, Duration.ofDays(1), Duration.ofMinutes(15));
        int tenants = RetentionService.TENANTS_PER_PAGE + 3;
        for (int i = 0; i < tenants; i++) {
            store.add(TenantId.of("t%04d".formatted(i)), NOW.minus(Duration.ofDays(400)), 1);
        }
        // A tenant with a score left over but no signals: its score goes.
        TenantId leftOver = TenantId.of("zz-left-over");
        store.scored.add(leftOver);
        store.failing.add(TenantId.of("t0007"));
        AtomicInteger renewals = new AtomicInteger();

        RetentionService.RunTotals totals = service().pruneAll(renewals::incrementAndGet);

        assertThat(totals).isEqualTo(new RetentionService.RunTotals(tenants + 1, tenants - 1, 1));
        assertThat(store.count(TenantId.of("t0007"))).isEqualTo(1);
        assertThat(store.scored).doesNotContain(leftOver);
        assertThat(store.calls).filteredOn(c -> c.startsWith("tenants")).containsExactly("tenants after null",
                "tenants after t0499");
        assertThat(renewals).hasValue(tenants + 1);
    }

    @Test
    void aLostLockEndsTheRun() {
        store.add(TenantId.of("a"), NOW.minus(Duration.ofDays(400)), 1);
        store.add(TenantId.of("b"), NOW.minus(Duration.ofDays(400)), 1);

        assertThatThrownBy(() -> service().pruneAll(() -> {
            throw new RetentionLock.LockLost("lease ran out", null);
        })).isInstanceOf(RetentionLock.LockLost.class);
        assertThat(store.count(TenantId.of("b"))).isEqualTo(1);
    }

    @Test
    void runNowNeedsTheAdminScopeOnTheCallersOwnTenant() {
        tier(ACME, RetentionTier.SHORT_30D, false);
        store.add(ACME, NOW.minus(Duration.ofDays(40)), 2);

        assertThat(code(() -> service().runNow(new Caller("u", Optional.of("acme"), Set.of("coherence:read", "coherence:write")),
                "acme", false))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(code(() -> service().runNow(admin("other"), "acme", false))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(store.count(ACME)).isEqualTo(2);

        RetentionReport report = service().runNow(admin("acme"), "acme", false);
        assertThat(report.deleted()).isEqualTo(2);
    }

    @Test
    void runNowRefusesAMalformedTenantIdNamingTheField() {
        for (String bad : new String[] {null, "", "  ", "x".repeat(129), "acme\u0000", "ac\nme", "acme\u202e"}) {
            CoherenceException e = (CoherenceException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> service().runNow(admin("acme"), bad, false));
            assertThat(e.code()).as(String.valueOf(bad)).isEqualTo(ErrorCode.BAD_USER_INPUT);
            assertThat(e.violations()).singleElement().matches(v -> v.field().equals("tenantId"));
        }
        assertThat(store.calls).isEmpty();
    }

    private static ErrorCode code(Runnable call) {
        try {
            call.run();
        } catch (CoherenceException e) {
            return e.code();
        }
        throw new AssertionError("not refused");
    }
}
