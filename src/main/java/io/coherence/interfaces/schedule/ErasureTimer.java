package io.coherence.interfaces.schedule;

import io.coherence.application.erasure.ErasureQueued;
import io.coherence.application.erasure.ErasureWorker;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the erasure worker every second on every replica, and once right after a request was
 * queued here (a one-shot timer, so the request completes in seconds, not at the next tick). Not
 * a persistent timer, for the reason MaterializerTimer gives (it must keep ticking, and telling,
 * through a PostgreSQL outage); cluster safety does not come from the timer but from the queue:
 * each request is claimed with SKIP LOCKED and a lease, so replicas never run one request twice
 * and a dead replica's request is taken over once its lease ended. One run at a time per replica.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ErasureTimer {

    private static final Logger LOG = Logger.getLogger(ErasureTimer.class.getName());

    @Inject
    ErasureWorker worker;

    @Resource
    TimerService timers;

    private final AtomicBoolean running = new AtomicBoolean();

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false, info = "coherence-erasure")
    void tick() {
        run();
    }

    /** A request was queued on this replica: start now rather than at the next tick. */
    public void queued(@Observes ErasureQueued queued) {
        timers.createSingleActionTimer(1, new TimerConfig("coherence-erasure-now", false));
    }

    @Timeout
    void now() {
        run();
    }

    private void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.runDue();
        } catch (RuntimeException e) {
            // A failed run must not count as a failed timeout: EJB would retry it at once.
            LOG.log(Level.WARNING, "erasure run failed; the next tick retries", e);
        } finally {
            running.set(false);
        }
    }
}
