package io.coherence.application.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Deletes Idempotency-Keys older than {@code COHERENCE_IDEMPOTENCY_TTL} (a claim would take them
 * over anyway), every {@code COHERENCE_IDEMPOTENCY_EXPIRY_INTERVAL}, in statements of at most
 * {@code COHERENCE_IDEMPOTENCY_EXPIRY_BATCH} keys, at most {@link #MAX_BATCHES_PER_RUN} per run so
 * that a backlog is worked off over several runs. Every replica runs it: the store's delete is
 * safe to run concurrently. Counted in {@code idempotency_keys_expired_total}.
 */
@ApplicationScoped
public class IdempotencyKeyExpiry {

    static final int MAX_BATCHES_PER_RUN = 100;

    private static final String EXPIRED = "idempotency_keys_expired";

    private final IdempotencyStore store;
    private final Duration ttl;
    private final Duration interval;
    private final int batch;
    private final Clock clock;
    private final MetricRegistry registry;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.EPOCH);

    /** For the CDI client proxy only. */
    protected IdempotencyKeyExpiry() {
        this(null, null, null, 0, null, null);
    }

    @Inject
    public IdempotencyKeyExpiry(IdempotencyStore store,
                                @ConfigProperty(name = "COHERENCE_IDEMPOTENCY_TTL") Duration ttl,
                                @ConfigProperty(name = "COHERENCE_IDEMPOTENCY_EXPIRY_INTERVAL") Duration interval,
                                @ConfigProperty(name = "COHERENCE_IDEMPOTENCY_EXPIRY_BATCH") int batch,
                                Clock clock, MetricRegistry registry) {
        this.store = store;
        this.ttl = ttl;
        this.interval = interval;
        this.batch = batch;
        this.clock = clock;
        this.registry = registry;
    }

    /** The counter exists from the start, so that a rate over it is 0 rather than absent. */
    void register(@Observes Startup startup) {
        registry.counter(EXPIRED);
    }

    /** Called by the timer every second: expires keys when the interval has passed; answers how many. */
    public int runIfDue() {
        Instant now = clock.instant();
        Instant last = lastRun.get();
        if (now.isBefore(last.plus(interval)) || !lastRun.compareAndSet(last, now)) {
            return 0;
        }
        int expired = 0;
        try {
            for (int run = 0; run < MAX_BATCHES_PER_RUN; run++) {
                int deleted = store.expire(ttl, batch);
                expired += deleted;
                if (deleted < batch) {
                    break;
                }
            }
        } finally {
            if (registry != null && expired > 0) {
                registry.counter(EXPIRED).inc(expired);
            }
        }
        return expired;
    }
}
