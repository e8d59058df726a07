package io.coherence.application.retention;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The scheduled retention run over every tenant. The timer asks often; a run is due when no run
 * (on any replica: the record is shared) completed within the configured interval, and a failed
 * attempt is retried after a pause. The run holds the cluster-wide retention lock and renews it
 * between batches, so two replicas never prune at once even if the timer fires on both.
 */
@ApplicationScoped
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

    /** What a tick did. */
    public enum Outcome {
        NOT_DUE, LOCKED, COMPLETED, FAILED
    }

    private final RetentionService service;
    private final RetentionRuns runs;
    private final RetentionLock lock;
    private final RetentionSettings settings;
    private final RetentionMetrics metrics;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected RetentionJob() {
        this(null, null, null, null, null, null);
    }

    @Inject
    public RetentionJob(RetentionService service, RetentionRuns runs, RetentionLock lock, RetentionSettings settings,
                        RetentionMetrics metrics, Clock clock) {
        this.service = service;
        this.runs = runs;
        this.lock = lock;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Called by the timer: runs when due and no other replica runs. */
    public Outcome runIfDue() {
        if (!due()) {
            return Outcome.NOT_DUE;
        }
        return lock.runExclusively(lease -> due() ? run(lease) : Outcome.NOT_DUE).orElse(Outcome.LOCKED);
    }

    /**
     * Reads the shared record into the last-run gauge, as every tick does. Called at start too: until
     * the first tick (up to a minute later) the gauge would say 0, and the not-running alert would see
     * a restarted replica as one that never ran.
     */
    public Optional<RunRecord> showLastRun() {
        Optional<RunRecord> last = runs.last();
        last.ifPresent(r -> metrics.lastRun(r.lastCompletedStart()));
        return last;
    }

    private boolean due() {
        return showLastRun().map(r -> r.due(clock.instant(), settings.interval(), settings.retryAfter())).orElse(true);
    }

    private Outcome run(RetentionLock.Lease lease) {
        Instant started = clock.instant();
        LOG.info(() -> "retention run started");
        try {
            RetentionService.RunTotals totals = service.pruneAll(lease::renew);
            if (totals.failedTenants() > 0) {
                return failed(started, totals.failedTenants() + " of " + totals.tenants() + " tenants failed", null);
            }
            runs.completed(started, clock.instant(), totals);
            metrics.ran("completed");
            metrics.lastRun(started);
            LOG.info(() -> "retention run completed: " + totals.tenants() + " tenants, " + totals.deleted()
                    + " signals deleted");
            return Outcome.COMPLETED;
        } catch (RuntimeException e) {
            return failed(started, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private Outcome failed(Instant started, String reason, RuntimeException cause) {
        metrics.ran("failed");
        LOG.log(Level.WARNING, cause, () -> "retention run failed (" + reason + "); retried after " + settings.retryAfter());
        try {
            runs.failed(started, clock.instant(), reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "recording the failed retention run failed too", e);
        }
        return Outcome.FAILED;
    }
}
