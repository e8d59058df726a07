package io.coherence.application.query;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * tenantCoherence: authorize, then the cache, then PostgreSQL. A tenant without a materialized
 * score answers score 0 with status UNKNOWN. The signal graph is not on this path.
 */
@ApplicationScoped
public class ScoreQueryService {

    private static final int MAX_TENANT_ID = 128;

    private final PolicyEnforcer enforcer;
    private final ScoreCache cache;
    private final ScoreRepository scores;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected ScoreQueryService() {
        this(null, null, null, null);
    }

    @Inject
    public ScoreQueryService(PolicyEnforcer enforcer, ScoreCache cache, ScoreRepository scores, Clock clock) {
        this.enforcer = enforcer;
        this.cache = cache;
        this.scores = scores;
        this.clock = clock;
    }

    public CoherenceScore tenantCoherence(Caller caller, String tenantId) {
        TenantId tenant = checked(tenantId);
        enforcer.require(caller, Action.READ, tenant.value());
        Optional<CoherenceScore> cached = cache.get(tenant);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<CoherenceScore> stored = scores.find(tenant);
        stored.ifPresent(cache::put);
        return stored.orElseGet(() -> CoherenceScore.unknown(tenant, clock.instant()));
    }

    private static TenantId checked(String tenantId) {
        if (tenantId == null || tenantId.isBlank()) {
            throw invalid("REQUIRED", "is required");
        }
        if (tenantId.length() > MAX_TENANT_ID) {
            throw invalid("TOO_LONG", "must be at most " + MAX_TENANT_ID + " characters");
        }
        if (tenantId.chars().anyMatch(Character::isISOControl)) {
            throw invalid("NOT_PRINTABLE", "must not contain control characters");
        }
        return TenantId.of(tenantId);
    }

    private static CoherenceException invalid(String code, String message) {
        return new CoherenceException(ErrorCode.BAD_USER_INPUT, "tenantId " + message,
                List.of(new Violation(null, "tenantId", code, message)));
    }
}
