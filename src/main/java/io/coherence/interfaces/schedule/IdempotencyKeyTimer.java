package io.coherence.interfaces.schedule;

import io.coherence.application.ingest.IdempotencyKeyExpiry;
import io.coherence.application.ingest.IdempotencyKeys;
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
 * Every second on every replica: after a start, releases the Idempotency-Key claims the replica's
 * previous process left running; writes the answers held while the key store failed; and expires
 * old keys when their interval has passed. Not a persistent timer, for the
 * reason MaterializerTimer gives: it must keep ticking through a PostgreSQL outage.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class IdempotencyKeyTimer {

    private static final Logger LOG = Logger.getLogger(IdempotencyKeyTimer.class.getName());

    @Inject
    IdempotencyKeys keys;

    @Inject
    IdempotencyKeyExpiry expiry;

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false, info = "coherence-idempotency-keys")
    void tick() {
        keys.releaseAbandoned();
        keys.recordUnrecorded();
        try {
            expiry.runIfDue();
        } catch (RuntimeException e) {
            // A failed run must not count as a failed timeout: EJB would retry it at once.
            LOG.log(Level.WARNING, "expiring idempotency keys failed; the next interval retries", e);
        }
    }
}
