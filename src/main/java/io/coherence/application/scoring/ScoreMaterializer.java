package io.coherence.application.scoring;

import io.coherence.application.events.EventBus;
import io.coherence.application.events.ScoreChanged;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreCalculator;
import io.coherence.domain.score.ScoreProjection;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Recomputes the scores of tenants that received signals since their last score, and of tenants
 * whose score is older than the staleness bound (their window moved). Each score goes to
 * PostgreSQL first, then to the graph (which clears the tenant's pending mark), then to the cache,
 * and is then published as a ScoreChanged event for live subscribers; a score PostgreSQL refuses
 * because it holds a newer one is neither cached nor published.
 * <p>Selection is fair: the graph lists pending tenants least recently scored first (never scored
 * before any) and stale ones oldest first (the graph, because it knows every scored tenant, even
 * one whose PostgreSQL row was lost), and a tenant whose scoring fails waits
 * out a growing pause ({@link TenantBackoff}) during which it takes none of a run's places, so
 * every tenant's first score comes within a few runs whatever the others do. A failure leaves
 * the tenant pending. A run refreshes stale scores for at most one interval (pending tenants
 * always all get their turn first): with thousands of tenants going stale every
 * {@code maxStaleness}, a run could otherwise hold the lock for many seconds while new signals
 * wait for the next one.
 */
@ApplicationScoped
public class ScoreMaterializer {

    private static final Logger LOG = Logger.getLogger(ScoreMaterializer.class.getName());

    private final SignalRepository signals;
    private final ScoreRepository scores;
    private final ScoreProjection projection;
    private final ScoreCache cache;
    private final ScoringSettings settings;
    private final MaterializerLock lock;
    private final Clock clock;
    private final EventBus bus;
    private final MaterializerMetrics metrics;
    private final AtomicReference<Instant> lastRun = new AtomicReference<>(Instant.EPOCH);
    private final TenantBackoff backoff;

    /** For the CDI client proxy only. */
    protected ScoreMaterializer() {
        this(null, null, null, null, null, null, null, null, null);
    }

    /** Without metrics (tests). */
    public ScoreMaterializer(SignalRepository signals, ScoreRepository scores, ScoreProjection projection,
                             ScoreCache cache, ScoringSettings settings, MaterializerLock lock, Clock clock,
                             EventBus bus) {
        this(signals, scores, projection, cache, settings, lock, clock, bus, new MaterializerMetrics(null, clock));
    }

    @Inject
    public ScoreMaterializer(SignalRepository signals, ScoreRepository scores, ScoreProjection projection,
                             ScoreCache cache, ScoringSettings settings, MaterializerLock lock, Clock clock,
                             EventBus bus, MaterializerMetrics metrics) {
        this.metrics = metrics;
        this.backoff = settings == null ? null : new TenantBackoff(settings.interval(), settings.failureBackoffMax());
        this.signals = signals;
        this.scores = scores;
        this.projection = projection;
        this.cache = cache;
        this.settings = settings;
        this.lock = lock;
        this.clock = clock;
        this.bus = bus;
    }

    /**
     * Called by the timer every second: runs when the configured interval has passed since this
     * replica's last run and no other replica is materializing.
     */
    @WithSpan(value = "materializer run", kind = SpanKind.INTERNAL)
    public void runIfDue() {
        Instant now = clock.instant();
        Instant last = lastRun.get();
        if (now.isBefore(last.plus(settings.interval())) || !lastRun.compareAndSet(last, now)) {
            return;
        }
        boolean ran;
        try {
            ran = lock.runExclusively(this::run);
        } catch (RuntimeException e) {
            metrics.attempted(MaterializerMetrics.Attempt.BLOCKED);
            // Logged once per outage, not once per tick; the lag metric and readiness keep telling.
            if (metrics.blocked(now, e)) {
                LOG.log(Level.WARNING, "the materializer cannot run; scores stay as they are until it can", e);
            }
            return;
        }
        metrics.attempted(ran ? MaterializerMetrics.Attempt.RAN : MaterializerMetrics.Attempt.LOCK_HELD);
        Duration blockedFor = metrics.unblocked(clock.instant());
        if (blockedFor != null) {
            LOG.info(() -> "the materializer runs again after " + blockedFor.toSeconds() + " s");
        }
    }

    /** One materializer run; returns how many tenants got a new score. */
    public int run() {
        Instant now = clock.instant();
        long started = System.nanoTime();
        int limit = settings.tenantsPerRun();
        backoff.expire(now);
        Set<TenantId> tried = new HashSet<>();
        Set<TenantId> done = new HashSet<>();
        Map<TenantId, RuntimeException> failed = new LinkedHashMap<>();
        // Tenants waiting out a pause come first in both lists (least recently scored); ask for that
        // many more, so they do not take the run's places.
        List<PendingTenant> pendingTenants = projection.pending(limit + backoff.waiting(now));
        for (PendingTenant pending : pendingTenants) {
            if (tried.size() == limit) {
                break;
            }
            if (backoff.due(pending.tenant(), now)) {
                tried.add(pending.tenant());
                refresh(pending.tenant(), pending.version(), now, done, failed);
            }
        }
        List<TenantId> stale = projection.scoredBefore(now.minus(settings.maxStaleness()), limit + backoff.waiting(now));
        int staleTried = 0;
        for (TenantId tenant : stale) {
            // The lock is held for the whole run, and a tenant's new signals wait for the next one:
            // refreshing stale scores stops after one interval, the rest (oldest first) go next run.
            if (staleTried == limit || !clock.instant().isBefore(now.plus(settings.interval()))) {
                break;
            }
            if (!tried.contains(tenant) && backoff.due(tenant, now)) {
                staleTried++;
                tried.add(tenant);
                refresh(tenant, -1, now, done, failed);
            }
        }
        backOff(failed);
        List<TenantBackoff.Failure> failing = backoff.failing();
        Set<TenantId> failingTenants = new HashSet<>();
        failing.forEach(f -> failingTenants.add(f.tenant()));
        metrics.failing(failing);
        metrics.ran(pendingTenants.stream().map(PendingTenant::tenant).filter(t -> !failingTenants.contains(t)).toList(),
                done, now, Duration.ofNanos(System.nanoTime() - started));
        return done.size();
    }

    /** After the run, so that the tenants it scored count when a pause is made longer. */
    private void backOff(Map<TenantId, RuntimeException> failed) {
        Instant at = clock.instant();
        failed.forEach((tenant, e) -> {
            TenantBackoff.Failure failure = backoff.failed(tenant, at, e);
            LOG.log(Level.WARNING, e, () -> "materializing tenant_id=" + tenant + " failed (" + failure.failures()
                    + " in a row since " + failure.since() + "); it stays pending and is tried again at " + failure.retryAt());
        });
    }

    private void refresh(TenantId tenant, long version, Instant now, Set<TenantId> done,
                         Map<TenantId, RuntimeException> failed) {
        try {
            CoherenceScore score = ScoreCalculator.score(tenant, signals.windowTotals(tenant, now.minus(settings.window())), now);
            boolean stored = scores.upsert(score);
            projection.record(score, version);
            if (stored) {
                cache.put(score);
                bus.publish(List.of(new ScoreChanged(score, clock.instant())));
            } else {
                // A newer score is stored already (a run on another replica); it was cached and published there.
                LOG.fine(() -> "a newer score of tenant_id=" + tenant + " is stored already; " + score.updatedAt() + " dropped");
            }
            backoff.succeeded(tenant);
            done.add(tenant);
        } catch (RuntimeException e) {
            metrics.tenantFailed();
            failed.put(tenant, e);
        }
    }
}
