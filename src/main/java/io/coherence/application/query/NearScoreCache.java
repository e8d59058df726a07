package io.coherence.application.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.EventBus;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.ScoreRemoved;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.tenant.TenantId;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The score cache: this replica's near layer in memory, in front of the shared one (Redis).
 * <p>The near layer holds the scores of at most {@code maxTenants} tenants this replica read, each
 * for at most {@code maxAge} after it was read (then the shared cache is asked again), so a read of
 * a hot tenant needs no network round trip. It stays fresh through the event bus: a ScoreChanged
 * (from this replica's materializer, or another's over the bridge) replaces an older entry, and a
 * ScoreRemoved (published by {@link #evict} on whichever replica evicted) drops it. The age bound
 * keeps the freshness promise when such a message is lost (the bridge is best effort).
 * <p>An older score never replaces a newer one (by {@code updatedAt}). A read that started before
 * an event of its tenant arrived does not fill the near layer with what it read, as that may be
 * older than the event: each tenant falls in one of {@value #SLOTS} slots whose counter every
 * event moves on, and a fill only goes in while the counter is as the read found it.
 */
@ApplicationScoped
public class NearScoreCache implements ScoreCache {

    private static final Logger LOG = Logger.getLogger(NearScoreCache.class.getName());
    static final int SLOTS = 4096;

    private final SharedScoreCache shared;
    private final EventBus bus;
    private final EventDispatcher dispatcher;
    private final NearCacheSettings settings;
    private final QueryMetrics metrics;
    private final Clock clock;
    private final long maxAgeMillis;
    private final Cache<TenantId, Entry> near;
    private final AtomicLongArray slots = new AtomicLongArray(SLOTS);
    private AutoCloseable listening;

    /** A near entry: the score and when the read that found it (or its event) started. */
    private record Entry(CoherenceScore score, long sinceMillis) {
    }

    /** For the CDI client proxy only. */
    protected NearScoreCache() {
        this.shared = null;
        this.bus = null;
        this.dispatcher = null;
        this.settings = null;
        this.metrics = null;
        this.clock = null;
        this.maxAgeMillis = 0;
        this.near = null;
    }

    @Inject
    public NearScoreCache(SharedScoreCache shared, EventBus bus, EventDispatcher dispatcher,
                          NearCacheSettings settings, QueryMetrics metrics, Clock clock) {
        this.shared = shared;
        this.bus = bus;
        this.dispatcher = dispatcher;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.maxAgeMillis = settings.maxAge().toMillis();
        // Size upkeep on the calling thread: no pool thread outside the container's.
        this.near = Caffeine.newBuilder().maximumSize(settings.maxTenants()).executor(Runnable::run).build();
    }

    /** Listens to the events of every tenant before the first read can fill anything. */
    @PostConstruct
    public void start() {
        if (settings.enabled()) {
            listening = dispatcher.listen(this::onEvent);
        }
    }

    /** Created at startup, so a bad setting stops the application rather than the first read. */
    void started(@Observes Startup startup) {
        LOG.info(() -> settings.enabled()
                ? "near score cache: at most " + settings.maxTenants() + " tenants, each for at most " + settings.maxAge()
                : "near score cache off (COHERENCE_SCORE_NEAR_CACHE_MAX_AGE=PT0S)");
    }

    @PreDestroy
    public void stop() {
        if (listening != null) {
            try {
                listening.close();
            } catch (Exception e) {
                LOG.log(Level.FINE, "stopping the near cache's listener failed", e);
            }
        }
        near.invalidateAll();
    }

    /**
     * A read: the near layer, then the shared cache. On a miss in both, the caller reads
     * PostgreSQL and hands what it found to {@link Lookup#fill}.
     */
    public Lookup lookup(TenantId tenant) {
        if (!settings.enabled()) {
            return new Lookup(tenant, shared.get(tenant), -1, 0);
        }
        long now = clock.millis();
        Entry entry = near.getIfPresent(tenant);
        if (entry != null && fresh(entry, now)) {
            metrics.nearCache(QueryMetrics.NearResult.HIT);
            return new Lookup(tenant, Optional.of(entry.score()), -1, now);
        }
        metrics.nearCache(entry == null ? QueryMetrics.NearResult.MISS : QueryMetrics.NearResult.EXPIRED);
        int slot = slot(tenant);
        long stamp = slots.get(slot);
        Optional<CoherenceScore> found = shared.get(tenant);
        found.ifPresent(score -> fill(score, slot, stamp, now));
        return new Lookup(tenant, found, stamp, now);
    }

    @Override
    public Optional<CoherenceScore> get(TenantId tenant) {
        return lookup(tenant).score();
    }

    /** The materializer's write-through; the ScoreChanged it publishes next updates every replica. */
    @Override
    public void put(CoherenceScore score) {
        shared.put(score);
        changed(score);
    }

    /**
     * Drops the entry here and in the shared cache (a failure there is thrown), then tells the
     * other replicas, even after a failure, since their copies are what is surely gone then.
     */
    @Override
    public void evict(TenantId tenant) {
        removed(tenant);
        try {
            shared.evict(tenant);
        } finally {
            bus.publish(List.of(new ScoreRemoved(tenant, clock.instant())));
        }
    }

    void onEvent(CoherenceEvent event) {
        if (event instanceof ScoreChanged changed) {
            changed(changed.score());
        } else if (event instanceof ScoreRemoved removed) {
            removed(removed.tenant());
        }
    }

    /** Replaces an older entry; a tenant not held here is not added (this replica may never read it). */
    private void changed(CoherenceScore score) {
        if (!settings.enabled()) {
            return;
        }
        slots.incrementAndGet(slot(score.tenant()));
        long now = clock.millis();
        near.asMap().computeIfPresent(score.tenant(),
                (tenant, current) -> newer(current.score(), score) ? current : new Entry(score, now));
    }

    /** The counter first: a read that has not filled yet then no longer can. */
    private void removed(TenantId tenant) {
        if (!settings.enabled()) {
            return;
        }
        slots.incrementAndGet(slot(tenant));
        near.invalidate(tenant);
    }

    private void fill(CoherenceScore score, int slot, long stamp, long since) {
        near.asMap().compute(score.tenant(), (tenant, current) -> {
            if (slots.get(slot) != stamp || current != null && newer(current.score(), score)) {
                return current;
            }
            return new Entry(score, since);
        });
    }

    private boolean fresh(Entry entry, long now) {
        long age = now - entry.sinceMillis();
        return age >= 0 && age < maxAgeMillis;
    }

    private static boolean newer(CoherenceScore held, CoherenceScore other) {
        return held.updatedAt().isAfter(other.updatedAt());
    }

    private static int slot(TenantId tenant) {
        int h = tenant.hashCode();
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }

    /** Entries held now (tests and diagnostics). */
    long size() {
        near.cleanUp();
        return near.estimatedSize();
    }

    /** What a read found in the caches; on a miss, {@link #fill} caches what PostgreSQL had. */
    public final class Lookup {

        private final TenantId tenant;
        private final Optional<CoherenceScore> score;
        private final long stamp;
        private final long since;

        private Lookup(TenantId tenant, Optional<CoherenceScore> score, long stamp, long since) {
            this.tenant = tenant;
            this.score = score;
            this.stamp = stamp;
            this.since = since;
        }

        public Optional<CoherenceScore> score() {
            return score;
        }

        /** Caches a score read from PostgreSQL after this lookup missed, unless newer news came meanwhile. */
        public void fill(CoherenceScore stored) {
            if (!stored.tenant().equals(tenant)) {
                throw new IllegalArgumentException("a score of tenant_id=" + stored.tenant()
                        + " cannot fill the lookup of tenant_id=" + tenant);
            }
            shared.put(stored);
            if (settings.enabled() && stamp >= 0) {
                NearScoreCache.this.fill(stored, slot(tenant), stamp, since);
            }
        }
    }
}
