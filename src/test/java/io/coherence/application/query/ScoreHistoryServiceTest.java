package io.coherence.application.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.scoring.ScoringSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherencePoint;
import io.coherence.domain.score.MinuteTotals;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.testsupport.MovableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScoreHistoryServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:30Z");
    private static final Caller READER = new Caller("analyst", Optional.of("acme"), Set.of("coherence:read"));

    private final List<String> reads = new ArrayList<>();
    private List<MinuteTotals> stored = List.of();
    private boolean complete = true;
    private RuntimeException failure;

    private ScoreHistoryService service() {
        return new ScoreHistoryService(new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US),
                (tenant, from, to) -> {
                    reads.add(tenant.value() + " " + from + ".." + to);
                    if (failure != null) {
                        throw failure;
                    }
                    return complete ? Optional.of(stored) : Optional.empty();
                },
                new HistorySettings(Duration.ofDays(7), 1500),
                new ScoringSettings(Duration.ofHours(24), Duration.ofSeconds(1), Duration.ofMinutes(1), 500),
                new MovableClock(NOW));
    }

    private static long minute(String instant) {
        return Instant.parse(instant).getEpochSecond() / 60;
    }

    @Test
    void readsTheMinutesOfTheRangeAndTheWindowBeforeItAndAnswersAPointPerStep() {
        stored = List.of(new MinuteTotals(minute("2026-12-03T09:00:00Z"), 0.8, 1.0, 1));

        List<CoherencePoint> points = service().history(READER, "acme", "2026-12-03T08:00:59Z", "2026-12-03T10:00:00+00:00", "PT30M");

        assertThat(reads).containsExactly("acme " + (minute("2026-12-03T08:00:00Z") - 1440) + ".." + minute("2026-12-03T10:00:00Z"));
        assertThat(points).extracting(p -> p.at().toString()).containsExactly("2026-12-03T08:00:00Z", "2026-12-03T08:30:00Z",
                "2026-12-03T09:00:00Z", "2026-12-03T09:30:00Z", "2026-12-03T10:00:00Z");
        assertThat(points).extracting(CoherencePoint::status).containsExactly(ScoreStatus.UNKNOWN, ScoreStatus.UNKNOWN,
                ScoreStatus.UNKNOWN, ScoreStatus.HEALTHY, ScoreStatus.HEALTHY);
        assertThat(points.get(4).score()).isEqualTo(0.8);
    }

    @Test
    void theRangeMayEndAtMostFiveMinutesAheadAndSpanAtMostTheMaximum() {
        assertThat(service().history(READER, "acme", "2026-12-03T10:00:00Z", "2026-12-03T10:05:30Z", "PT1M")).hasSize(6);
        assertThat(violation(() -> service().history(READER, "acme", "2026-12-03T10:00:00Z", "2026-12-03T10:06:00Z", "PT1M")))
                .isEqualTo("to:OUT_OF_RANGE");
        assertThat(violation(() -> service().history(READER, "acme", "2026-11-26T09:00:00Z", "2026-12-03T10:00:00Z", "PT1H")))
                .isEqualTo("to:RANGE_TOO_LONG");
        assertThat(service().history(READER, "acme", "2026-11-26T10:00:00Z", "2026-12-03T10:00:00Z", "PT2H")).hasSize(85);
        assertThat(service().history(READER, "acme", "2026-12-02T10:00:00Z", "2026-12-03T10:00:00Z", "PT1M"))
                .as("24 h a minute apart").hasSize(1441);
        assertThat(violation(() -> service().history(READER, "acme", "2026-12-01T10:00:00Z", "2026-12-03T10:00:00Z", "PT1M")))
                .isEqualTo("step:TOO_MANY_POINTS");
        assertThat(violation(() -> service().history(READER, "acme", "2026-12-03T10:00:00Z", "2026-12-03T09:00:00Z", "PT1M")))
                .isEqualTo("to:OUT_OF_RANGE");
    }

    @Test
    void malformedArgumentsAreRefusedByNameBeforeAnythingIsRead() {
        String from = "2026-12-03T09:00:00Z";
        String to = "2026-12-03T10:00:00Z";
        assertThat(violation(() -> service().history(READER, "acme", "yesterday", to, "PT5M"))).isEqualTo("from:INVALID_TIMESTAMP");
        assertThat(violation(() -> service().history(READER, "acme", "2026-12-03T09:00:00", to, "PT5M")))
                .as("no offset").isEqualTo("from:INVALID_TIMESTAMP");
        assertThat(violation(() -> service().history(READER, "acme", from, "", "PT5M"))).isEqualTo("to:REQUIRED");
        assertThat(violation(() -> service().history(READER, "acme", from, "9".repeat(10_000), "PT5M")))
                .isEqualTo("to:INVALID_TIMESTAMP");
        for (String step : new String[] {"PT30S", "PT90S", "PT0M", "-PT5M", "5 minutes", "P1M", "PT1M0.5S"}) {
            assertThat(violation(() -> service().history(READER, "acme", from, to, step))).as(step).isEqualTo("step:INVALID_DURATION");
        }
        assertThat(violation(() -> service().history(READER, "acme", from, to, null))).isEqualTo("step:REQUIRED");
        assertThat(violation(() -> service().history(READER, "", from, to, "PT5M"))).isEqualTo("tenantId:REQUIRED");
        assertThat(reads).isEmpty();
    }

    @Test
    void theAccessRuleIsTenantCoherencesAndARefusalReadsNothing() {
        String from = "2026-12-03T09:00:00Z";
        String to = "2026-12-03T10:00:00Z";
        assertThat(code(() -> service().history(READER, "other", from, to, "PT5M"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(code(() -> service().history(new Caller("w", Optional.of("acme"), Set.of("coherence:write")), "acme",
                from, to, "PT5M"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(code(() -> service().history(READER, "other", "garbage", to, "PT5M")))
                .as("another tenant learns nothing, not even that its arguments were wrong").isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(reads).isEmpty();
    }

    @Test
    void incompleteSumsOrAFailingStoreAnswerStoreUnavailable() {
        complete = false;
        assertThat(code(() -> service().history(READER, "acme", "2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z", "PT5M")))
                .isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        failure = new IllegalStateException("neo4j down");
        assertThat(code(() -> service().history(READER, "acme", "2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z", "PT5M")))
                .isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    }

    private static String violation(Runnable call) {
        CoherenceException e = catchThrowableOfType(call::run, CoherenceException.class);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
        return e.violations().get(0).field() + ":" + e.violations().get(0).code();
    }

    private static ErrorCode code(Runnable call) {
        CoherenceException e = catchThrowableOfType(call::run, CoherenceException.class);
        assertThat(e).as("refused").isNotNull();
        return e.code();
    }
}
