package io.coherence.application.scoring;

import io.coherence.application.events.EventBus;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.query.ScoreCache;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Recomputes the scores of tenants that received signals since their last score, and of tenants
 * whose score is older than the staleness bound (their window moved). Each score goes to
 * PostgreSQL first, then to the graph (which clears the tenant's pending mark), then to the cache,
 * and is then published as a ScoreChanged event for live subscribers.
 * A failure leaves the tenant pending for the next run.
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
        try {
            lock.runExclusively(this::run);
        } catch (RuntimeException e) {
            // Logged once per outage, not once per tick; the lag metric and readiness keep telling.
            if (metrics.blocked(now, e)) {
                LOG.log(Level.WARNING, "the materializer cannot run; scores stay as they are until it can", e);
            }
            return;
        }
        Duration blockedFor = metrics.unblocked(clock.instant());
        if (blockedFor != null) {
            LOG.info(() -> "the materializer runs again after " + blockedFor.toSeconds() + " s");
        }
    }

    /** One materializer run; returns how many tenants got a new score. */
    public int run() {
        Instant now = clock.instant();
        long started = System.nanoTime();
        Set<TenantId> done = new HashSet<>();
        List<PendingTenant> pendingTenants = projection.pending(settings.tenantsPerRun());
        for (PendingTenant pending : pendingTenants) {
            if (refresh(pending.tenant(), pending.version(), now)) {
                done.add(pending.tenant());
            }
        }
        List<TenantId> stale = scores.scoredBefore(now.minus(settings.maxStaleness()), settings.tenantsPerRun());
        for (TenantId tenant : stale) {
            if (!done.contains(tenant) && refresh(tenant, -1, now)) {
                done.add(tenant);
            }
        }
        metrics.ran(pendingTenants.stream().map(PendingTenant::tenant).toList(), done, now,
                Duration.ofNanos(System.nanoTime() - started));
        return done.size();
    }

    private boolean refresh(TenantId tenant, long version, Instant now) {
        try {
            CoherenceScore score = ScoreCalculator.score(tenant, signals.windowTotals(tenant, now.minus(settings.window())), now);
            scores.upsert(score);
            projection.record(score, version);
            cache.put(score);
            bus.publish(List.of(new ScoreChanged(score, clock.instant())));
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "materializing tenant_id=" + tenant + " failed; it stays pending", e);
            return false;
        }
    }
}
