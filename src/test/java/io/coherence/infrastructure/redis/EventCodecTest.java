package io.coherence.infrastructure.redis;

import static io.coherence.application.events.Events.score;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.ScoreRemoved;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import jakarta.json.JsonException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final TenantId T = TenantId.of("tenant-t");

    @Test
    void aSignalCommittedSurvivesTheRoundTripWithEveryField() {
        SignalCommitted event = new SignalCommitted(T, 9_007_199_254_740_993L, "sig-\"quoted\"/ü", "error_rate", 0.1,
                0.3, "probe-\u00e9", Instant.parse("2026-03-01T12:00:00.123456789Z"), "prov-1",
                Instant.parse("2026-03-01T12:00:01.5Z"));

        EventCodec.Message decoded = EventCodec.decode(EventCodec.encode("node-a", List.of(event)));

        assertThat(decoded.node()).isEqualTo("node-a");
        assertThat(decoded.events()).containsExactly(event);
    }

    @Test
    void aListOfScoresAndSignalsKeepsItsOrderAndEveryField() {
        ScoreChanged unknown = new ScoreChanged(CoherenceScore.unknown(T, Instant.parse("2026-03-01T00:00:00Z")),
                Instant.parse("2026-03-01T00:00:00.001Z"));
        List<CoherenceEvent> events = List.of(score(T, 0.77, 1), signal(T, 3), score(TenantId.of("other"), 0.2, 2),
                unknown, signal(T, 4));

        EventCodec.Message decoded = EventCodec.decode(EventCodec.encode("node-b", events));

        assertThat(decoded.node()).isEqualTo("node-b");
        assertThat(decoded.events()).containsExactlyElementsOf(events);
        assertThat(((ScoreChanged) decoded.events().get(3)).score().status()).isEqualTo(ScoreStatus.UNKNOWN);
    }

    @Test
    void aScoreRemovedSurvivesTheRoundTrip() {
        ScoreRemoved removed = new ScoreRemoved(T, Instant.parse("2026-03-01T12:00:00.25Z"));

        EventCodec.Message decoded = EventCodec.decode(EventCodec.encode("node-d", List.of(removed)));

        assertThat(decoded.events()).containsExactly(removed);
    }

    @Test
    void anEmptyListRoundTrips() {
        assertThat(EventCodec.decode(EventCodec.encode("node-c", List.of())).events()).isEmpty();
    }

    @Test
    void aMessageThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> EventCodec.decode("hello, redis")).isInstanceOf(JsonException.class);
    }

    @Test
    void anEventOfAnUnknownKindIsRefused() {
        String message = """
                {"node":"node-x","events":[{"kind":"weather","tenantId":"tenant-t",\
                "committedAt":"2026-03-01T12:00:00Z"}]}""";

        assertThatThrownBy(() -> EventCodec.decode(message))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weather");
    }
}
