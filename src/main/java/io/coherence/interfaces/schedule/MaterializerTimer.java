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
 * A persistent timer (stored in PostgreSQL, so one replica fires it) ticking every second; the
 * materializer itself decides whether its configured interval has passed.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MaterializerTimer {

    private static final Logger LOG = Logger.getLogger(MaterializerTimer.class.getName());

    @Inject
    ScoreMaterializer materializer;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = true, info = "coherence-materializer")
    void tick() {
        try {
            materializer.runIfDue();
        } catch (RuntimeException e) {
            // A failed run must not count as a failed timeout: EJB would retry it at once.
            LOG.log(Level.WARNING, "materializer run failed; the next tick retries", e);
        }
    }
}
