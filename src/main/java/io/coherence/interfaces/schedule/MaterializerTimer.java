package io.coherence.interfaces.schedule;

import io.coherence.application.scoring.ScoreMaterializer;
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
 * A timer ticking every second on every replica; the materializer decides whether its interval has
 * passed, and its PostgreSQL advisory lock lets one replica at a time run. Not a persistent timer:
 * those are stored in, and fired through, PostgreSQL, so during a PostgreSQL outage they stop and
 * resume on Liberty's own schedule, and nobody would see that the materializer is blocked. This one
 * keeps ticking, finds the lock unavailable, and says so in readiness and in the lag metric.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MaterializerTimer {

    private static final Logger LOG = Logger.getLogger(MaterializerTimer.class.getName());

    @Inject
    ScoreMaterializer materializer;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false, info = "coherence-materializer")
    void tick() {
        try {
            materializer.runIfDue();
        } catch (RuntimeException e) {
            // A failed run must not count as a failed timeout: EJB would retry it at once.
            LOG.log(Level.WARNING, "materializer run failed; the next tick retries", e);
        }
    }
}
