package io.coherence.application.query;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.TenantIds;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreCalculator;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * tenantCoherence: authorize, then the cache (this replica's near layer, then the shared one),
 * then PostgreSQL. A tenant without a materialized score answers score 0 with status UNKNOWN.
 * The signal graph is read only while PostgreSQL fails (ADR-001): the score is then computed
 * from the signals in the window, exactly as the materializer would, and the answer is marked
 * degraded; it is never cached, so reads return to the materialized path as soon as PostgreSQL
 * answers again. With both stores failing the caller gets STORE_UNAVAILABLE, never a score made
 * up from nothing.
 */
@ApplicationScoped
public class ScoreQueryService {

    private static final Logger LOG = Logger.getLogger(ScoreQueryService.class.getName());
    private final PolicyEnforcer enforcer;
    private final NearScoreCache cache;
    private final ScoreRepository scores;
    private final SignalRepository signals;
    private final ScoringSettings settings;
    private final QueryMetrics metrics;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected ScoreQueryService() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public ScoreQueryService(PolicyEnforcer enforcer, NearScoreCache cache, ScoreRepository scores,
                             SignalRepository signals, ScoringSettings settings, QueryMetrics metrics, Clock clock) {
        this.enforcer = enforcer;
        this.cache = cache;
        this.scores = scores;
        this.signals = signals;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    public ScoreAnswer tenantCoherence(Caller caller, String tenantId) {
        TenantId tenant = TenantIds.checked(tenantId);
        enforcer.require(caller, Action.READ, tenant.value());
        NearScoreCache.Lookup cached = cache.lookup(tenant);
        if (cached.score().isPresent()) {
            return ScoreAnswer.materialized(cached.score().get());
        }
        Optional<CoherenceScore> stored;
        try {
            stored = scores.find(tenant);
        } catch (RuntimeException e) {
            return computed(tenant, e);
        }
        stored.ifPresent(cached::fill);
        return ScoreAnswer.materialized(stored.orElseGet(() -> CoherenceScore.unknown(tenant, clock.instant())));
    }

    /** The degraded path: the score from the signal graph, as the materializer computes it. */
    private ScoreAnswer computed(TenantId tenant, RuntimeException materializedFailure) {
        Instant now = clock.instant();
        try {
            CoherenceScore score = ScoreCalculator.score(tenant,
                    signals.windowTotals(tenant, now.minus(settings.window())), now);
            metrics.degraded(true);
            LOG.log(Level.FINE, materializedFailure,
                    () -> "materialized scores unavailable; tenant_id=" + tenant + " computed from signals");
            return ScoreAnswer.computed(score);
        } catch (RuntimeException e) {
            metrics.degraded(false);
            e.addSuppressed(materializedFailure);
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the score cannot be read now: neither the score store nor the signal store answered; retry",
                    List.of(), e);
        }
    }
}
