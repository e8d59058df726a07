package io.coherence.application.query;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.TenantIds;
import io.coherence.application.Violation;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherencePoint;
import io.coherence.domain.score.MinuteTotals;
import io.coherence.domain.score.MinuteTotalsRepository;
import io.coherence.domain.score.ScoreHistory;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code tenantCoherenceHistory}: the score of a tenant at whole minutes between {@code from} and
 * {@code to}, each point the score of the scoring window ending there, computed from the stored
 * per-minute sums (never from the signals one by one). The access rule is
 * {@code tenantCoherence}'s; the range and the number of points are bounded.
 */
@ApplicationScoped
public class ScoreHistoryService {

    private static final Logger LOG = Logger.getLogger(ScoreHistoryService.class.getName());

    /** Points may reach this far past now (the clock skew ingest allows for {@code ts}). */
    static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    private static final int MAX_ARGUMENT = 64;

    private final PolicyEnforcer enforcer;
    private final MinuteTotalsRepository minutes;
    private final HistorySettings settings;
    private final ScoringSettings scoring;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected ScoreHistoryService() {
        this(null, null, null, null, null);
    }

    @Inject
    public ScoreHistoryService(PolicyEnforcer enforcer, MinuteTotalsRepository minutes, HistorySettings settings,
                               ScoringSettings scoring, Clock clock) {
        this.enforcer = enforcer;
        this.minutes = minutes;
        this.settings = settings;
        this.scoring = scoring;
        this.clock = clock;
    }

    public List<CoherencePoint> history(Caller caller, String tenantId, String from, String to, String step) {
        TenantId tenant = TenantIds.checked(tenantId);
        enforcer.require(caller, Action.READ, tenant.value());
        Range range = Range.checked(from, to, step, settings, clock.instant());
        long window = Math.max(1, scoring.window().toMinutes());
        Optional<List<MinuteTotals>> stored;
        try {
            stored = minutes.between(tenant, range.fromMinute() - window, range.toMinute());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reading the score history of tenant_id=" + tenant + " failed", e);
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the score history could not be read (the signal graph is unavailable); retry", List.of(), e);
        }
        return ScoreHistory.points(tenant, stored.orElseThrow(() -> new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                        "the tenant's per-minute sums are being rebuilt; retry in a minute", List.of())),
                range.fromMinute(), range.toMinute(), range.stepMinutes(), window);
    }

    /** The checked arguments, in epoch minutes: from and to rounded down to their minute. */
    record Range(long fromMinute, long toMinute, long stepMinutes) {

        static Range checked(String from, String to, String step, HistorySettings settings, Instant now) {
            List<Violation> violations = new ArrayList<>();
            Instant start = instant("from", from, violations);
            Instant end = instant("to", to, violations);
            Duration every = duration(step, violations);
            if (violations.isEmpty()) {
                if (end.isBefore(start)) {
                    violations.add(new Violation(null, "to", "OUT_OF_RANGE", "must not be before from"));
                } else if (end.isAfter(now.plus(FUTURE_SKEW))) {
                    violations.add(new Violation(null, "to", "OUT_OF_RANGE",
                            "must not be more than " + FUTURE_SKEW.toMinutes() + " minutes in the future"));
                } else if (Duration.between(start, end).compareTo(settings.maxRange()) > 0) {
                    violations.add(new Violation(null, "to", "RANGE_TOO_LONG",
                            "from and to must be at most " + settings.maxRange() + " apart"));
                } else {
                    long fromMinute = Math.floorDiv(start.getEpochSecond(), 60);
                    long toMinute = Math.floorDiv(end.getEpochSecond(), 60);
                    long points = (toMinute - fromMinute) / every.toMinutes() + 1;
                    if (points > settings.maxPoints()) {
                        violations.add(new Violation(null, "step", "TOO_MANY_POINTS", "gives " + points
                                + " points; at most " + settings.maxPoints() + " (a longer step or a shorter range)"));
                    } else {
                        return new Range(fromMinute, toMinute, every.toMinutes());
                    }
                }
            }
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT,
                    violations.get(0).field() + " " + violations.get(0).message(), violations);
        }

        private static Instant instant(String field, String text, List<Violation> violations) {
            if (text == null || text.isBlank()) {
                violations.add(new Violation(null, field, "REQUIRED", "is required"));
                return null;
            }
            try {
                if (text.length() <= MAX_ARGUMENT) {
                    return OffsetDateTime.parse(text).toInstant();
                }
            } catch (DateTimeParseException e) {
                // named below
            }
            violations.add(new Violation(null, field, "INVALID_TIMESTAMP",
                    "must be an ISO-8601 date-time with an offset, e.g. 2026-12-03T10:00:00Z"));
            return null;
        }

        private static Duration duration(String text, List<Violation> violations) {
            if (text == null || text.isBlank()) {
                violations.add(new Violation(null, "step", "REQUIRED", "is required"));
                return null;
            }
            try {
                if (text.length() <= MAX_ARGUMENT) {
                    Duration d = Duration.parse(text);
                    if (!d.isNegative() && d.toMinutes() >= 1 && d.toSeconds() % 60 == 0 && d.toNanosPart() == 0) {
                        return d;
                    }
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // named below
            }
            violations.add(new Violation(null, "step", "INVALID_DURATION",
                    "must be an ISO-8601 duration of whole minutes, at least PT1M, e.g. PT5M"));
            return null;
        }
    }
}
