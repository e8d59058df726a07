package io.coherence.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.retention.RetentionTier;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionEntryTest {

    @Test
    void theSummaryNamesCountTierAndCutoffAndNoSignal() {
        assertThat(RetentionEntry.summary(7, RetentionTier.EPHEMERAL_7D, Instant.parse("2026-11-25T10:00:00.123456Z")))
                .isEqualTo("deleted=7 tier=ephemeral-7d cutoff=2026-11-25T10:00:00.123Z");
    }

    @Test
    void theDigestCoversTheSortedProvenanceIds() {
        assertThat(RetentionEntry.digest(List.of("b", "a", "c"))).isEqualTo(RetentionEntry.digest(List.of("c", "a", "b")))
                .isEqualTo(Sha256.hex("a\nb\nc"))
                .isNotEqualTo(RetentionEntry.digest(List.of("a", "b")));
    }
}
