package io.coherence.application.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScoreThresholdTest {

    private static CoherenceScore score(double s) {
        return new CoherenceScore(TenantId.of("acme"), s, ScoreStatus.of(s), Instant.EPOCH);
    }

    @ParameterizedTest
    @CsvSource({
        "0.70, 0.80, true",   // up across
        "0.80, 0.70, true",   // down across
        "0.74, 0.75, true",   // reaching the value counts as crossing up
        "0.75, 0.74, true",   // and leaving it downwards
        "0.75, 0.90, false",  // at or above both times
        "0.60, 0.74, false",  // below both times
        "0.80, 0.80, false"})
    void crossingIsMovingFromBelowTheValueToAtOrAboveItOrBack(double known, double next, boolean sent) {
        assertThat(new ScoreThreshold(0.75, false).passes(score(known), score(next))).isEqualTo(sent);
    }

    @Test
    void statusChangeIsAnyChangeOfStatusAndEitherConditionSends() {
        ScoreThreshold status = new ScoreThreshold(null, true);
        assertThat(status.passes(score(0.76), score(0.74))).isTrue();
        assertThat(status.passes(score(0.74), score(0.51))).isFalse();
        assertThat(status.passes(CoherenceScore.unknown(TenantId.of("acme"), Instant.EPOCH), score(0.3))).as("UNKNOWN → CRITICAL")
                .isTrue();
        ScoreThreshold both = new ScoreThreshold(0.6, true);
        assertThat(both.passes(score(0.55), score(0.65))).as("crossed, same status").isTrue();
        assertThat(both.passes(score(0.74), score(0.76))).as("status changed, not crossed").isTrue();
        assertThat(both.passes(score(0.65), score(0.70))).isFalse();
    }

    @Test
    void withoutArgumentsOrWithoutAKnownScoreEveryChangeIsSent() {
        assertThat(ScoreThreshold.EVERY_CHANGE.filters()).isFalse();
        assertThat(ScoreThreshold.EVERY_CHANGE.passes(score(0.5), score(0.5))).isTrue();
        assertThat(new ScoreThreshold(0.5, true).passes(null, score(0.9))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
    void aCrossingOutsideTheScoresRangeIsRefused(double crossing) {
        assertThatThrownBy(() -> new ScoreThreshold(crossing, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from 0 to 1");
    }
}
