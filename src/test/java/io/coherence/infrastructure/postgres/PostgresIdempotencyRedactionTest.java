package io.coherence.infrastructure.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PostgresIdempotencyRedactionTest {

    @Test
    void theErasedSignalsEntriesLoseTheirIdsAndTheOthersKeepThem() {
        String answer = "{\"accepted\":2,\"duplicates\":0,\"items\":["
                + "{\"signalId\":\"device-7-a\",\"provenanceId\":\"p-1\",\"status\":\"accepted\"},"
                + "{\"signalId\":\"device-8-a\",\"provenanceId\":\"p-2\",\"status\":\"accepted\"}]}";

        String redacted = PostgresIdempotencyRedaction.redacted(answer, Set.of("p-1"));

        assertThat(redacted).isEqualTo("{\"accepted\":2,\"duplicates\":0,\"items\":["
                + "{\"signalId\":\"erased\",\"provenanceId\":\"erased\",\"status\":\"accepted\"},"
                + "{\"signalId\":\"device-8-a\",\"provenanceId\":\"p-2\",\"status\":\"accepted\"}]}");
        assertThat(PostgresIdempotencyRedaction.redacted(redacted, Set.of("p-1"))).as("again: nothing more").isEqualTo(redacted);
    }

    @Test
    void anAnswerThatIsNotJsonHasTheIdsReplacedAsText() {
        assertThat(PostgresIdempotencyRedaction.redacted("refused p-1 and p-2", Set.of("p-1"))).isEqualTo("refused erased and p-2");
    }
}
