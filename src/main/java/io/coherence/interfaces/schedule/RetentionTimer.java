package io.coherence.interfaces.schedule;

import io.coherence.application.retention.RetentionJob;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A persistent timer, stored in and fired through PostgreSQL (Liberty's
 * defaultEJBPersistentTimerExecutor, liberty-config/includes/timers.xml): one replica at a time
 * fires it, and another takes it over when that one stops (missed task threshold). It fires every
 * minute; the job decides from the shared run record whether a run is due
 * (COHERENCE_RETENTION_INTERVAL, daily by default), so the schedule is configuration, not this
 * annotation, which Liberty stores once per application. The job's advisory lock keeps two
 * replicas from pruning at once even if both fire.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class RetentionTimer {

    private static final Logger LOG = Logger.getLogger(RetentionTimer.class.getName());

    @Inject
    RetentionJob job;

    /** The last-run gauge from the shared record at start, not a minute later (see RetentionJob#showLastRun). */
    @PostConstruct
    void showLastRun() {
        try {
            job.showLastRun();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the last retention run could not be read at start; the first tick reads it", e);
        }
    }

    @Schedule(hour = "*", minute = "*", persistent = true, info = "coherence-retention")
    void tick() {
        try {
            job.runIfDue();
        } catch (RuntimeException e) {
            // A failed tick must not count as a failed timeout: Liberty would retry it at once.
            LOG.log(Level.WARNING, "the retention timer could not run; the next tick retries", e);
        }
    }
}
