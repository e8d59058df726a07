package io.coherence.application.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RetentionJobTest {

    private static final Instant START = Instant.parse("2026-12-02T00:00:30Z");
    private static final Duration INTERVAL = Duration.ofDays(1);
    private static final Duration RETRY_AFTER = Duration.ofMinutes(15);

    private final MovableClock clock = new MovableClock(START);
    private final FakeRetentionStore store = new FakeRetentionStore();
    private final FakeRuns runs = new FakeRuns();
    private final FakeLock lock = new FakeLock();
    private final RetentionSettings settings = new RetentionSettings(1000, 1000, INTERVAL, RETRY_AFTER);
    private final RetentionMetrics metrics = new RetentionMetrics(null, settings);
    private final RetentionJob job = new RetentionJob(new RetentionService(store,
            t -> new TenantDataPolicy(t, RetentionTier.SHORT_30D, "benchmarking", "Restricted-TOS", "US", false, null),
            new FakeScoreStores(), new FakeScoreStores(), new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US),
            settings, new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofMinutes(1), 500), clock,
            metrics), runs, lock, settings, metrics, clock);

    @Test
    void theFirstTickRunsThenTheNextRunIsDueOneIntervalAfterTheLastStarted() {
        store.add(TenantId.of("acme"), START.minus(Duration.ofDays(40)), 3);

        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.COMPLETED);
        assertThat(runs.log).containsExactly("completed " + START + " tenants=1 deleted=3");
        assertThat(metrics.lastRunSeconds()).isEqualTo(START.getEpochSecond());

        clock.advance(Duration.ofHours(23).plusMinutes(59));
        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.NOT_DUE);
        clock.advance(Duration.ofMinutes(1));
        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.COMPLETED);
        assertThat(runs.log).hasSize(2);
        assertThat(lock.acquired).isEqualTo(2);
    }

    @Test
    void aRunAnotherReplicaCompletedMeanwhileIsNotRepeated() {
        runs.completed(START.minus(Duration.ofDays(2)), START.minus(Duration.ofDays(2)), new RetentionService.RunTotals(0, 0, 0));
        // Due when this replica looks; another one completes it before this one gets the lock.
        lock.beforeTask = () -> runs.completed(START, START, new RetentionService.RunTotals(0, 0, 0));

        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.NOT_DUE);
        assertThat(store.calls).isEmpty();
        // The gauge shows the other replica's run.
        assertThat(metrics.lastRunSeconds()).isEqualTo(START.getEpochSecond());
    }

    @Test
    void theGaugeShowsTheLastRunOfAnyReplicaBeforeTheFirstTick() {
        assertThat(job.showLastRun()).isEmpty();
        assertThat(metrics.lastRunSeconds()).isZero();
        Instant earlier = START.minus(Duration.ofHours(3));
        runs.completed(earlier, earlier.plusSeconds(5), new RetentionService.RunTotals(0, 0, 0));

        assertThat(job.showLastRun()).isPresent();

        assertThat(metrics.lastRunSeconds()).isEqualTo(earlier.getEpochSecond());
        assertThat(runs.log).hasSize(1);
        assertThat(lock.acquired).isZero();
    }

    @Test
    void aTickWhileAnotherReplicaHoldsTheLockRunsNothing() {
        lock.heldElsewhere = true;
        store.add(TenantId.of("acme"), START.minus(Duration.ofDays(40)), 3);

        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.LOCKED);
        assertThat(store.count(TenantId.of("acme"))).isEqualTo(3);
        assertThat(runs.log).isEmpty();
    }

    @Test
    void aFailedRunIsRecordedAndRetriedAfterThePauseNotAtEveryTick() {
        TenantId acme = TenantId.of("acme");
        store.add(acme, START.minus(Duration.ofDays(40)), 3);
        store.failing.add(acme);

        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.FAILED);
        assertThat(runs.log).containsExactly("failed " + START + " 1 of 1 tenants failed");
        clock.advance(RETRY_AFTER.minusSeconds(1));
        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.NOT_DUE);

        store.failing.clear();
        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.COMPLETED);
        assertThat(store.count(acme)).isZero();
    }

    @Test
    void aRunThatLosesItsLockStopsAndIsRecordedAsFailed() {
        store.add(TenantId.of("a"), START.minus(Duration.ofDays(40)), 1);
        store.add(TenantId.of("b"), START.minus(Duration.ofDays(40)), 1);
        lock.renewalFails = true;

        assertThat(job.runIfDue()).isEqualTo(RetentionJob.Outcome.FAILED);
        assertThat(runs.log).singleElement().asString().startsWith("failed " + START + " LockLost");
        assertThat(store.count(TenantId.of("b"))).isEqualTo(1);
    }

    @Test
    void dueAfterTheIntervalUnlessTheLastAttemptFailedRecently() {
        Instant completed = START.minus(INTERVAL);
        assertThat(new RunRecord(completed, completed, false).due(START, INTERVAL, RETRY_AFTER)).isTrue();
        assertThat(new RunRecord(completed, completed, false).due(START.minusMillis(1), INTERVAL, RETRY_AFTER)).isFalse();
        assertThat(new RunRecord(completed, START.minusSeconds(60), true).due(START, INTERVAL, RETRY_AFTER)).isFalse();
        assertThat(new RunRecord(null, START.minus(RETRY_AFTER), true).due(START, INTERVAL, RETRY_AFTER)).isTrue();
    }

    private static final class FakeRuns implements RetentionRuns {

        final List<String> log = new ArrayList<>();
        private RunRecord record;

        @Override
        public Optional<RunRecord> last() {
            return Optional.ofNullable(record);
        }

        @Override
        public void completed(Instant started, Instant finished, RetentionService.RunTotals totals) {
            log.add("completed " + started + " tenants=" + totals.tenants() + " deleted=" + totals.deleted());
            record = new RunRecord(started, started, false);
        }

        @Override
        public void failed(Instant started, Instant finished, String reason) {
            log.add("failed " + started + " " + reason);
            record = new RunRecord(record == null ? null : record.lastCompletedStart(), started, true);
        }
    }

    private static final class FakeLock implements RetentionLock {

        boolean heldElsewhere;
        boolean renewalFails;
        Runnable beforeTask = () -> { };
        int acquired;

        @Override
        public <T> Optional<T> runExclusively(Function<Lease, T> task) {
            if (heldElsewhere) {
                return Optional.empty();
            }
            acquired++;
            beforeTask.run();
            return Optional.of(task.apply(() -> {
                if (renewalFails) {
                    throw new LockLost("lease ran out", null);
                }
            }));
        }
    }
}
