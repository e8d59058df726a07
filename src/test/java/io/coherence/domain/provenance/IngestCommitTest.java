package io.coherence.domain.provenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IngestCommitTest {

    private static IngestCommit.Created created(long sequence) {
        return new IngestCommit.Created(sequence, "prov-" + sequence, "req-" + sequence);
    }

    @Test
    void theSummaryIsTheSequenceRangeAndCount() {
        IngestCommit commit = new IngestCommit(List.of(created(13), created(12), created(15), created(14)));

        assertThat(commit.range().summary()).isEqualTo("signals 12-15 (4)");
        assertThat(IngestRange.parse("signals 12-15 (4)")).contains(new IngestRange(12, 15, false));
    }

    @Test
    void theDigestHashesSequenceProvenanceAndRequestHashInSequenceOrder() {
        IngestCommit commit = new IngestCommit(List.of(created(2), created(1)));

        assertThat(commit.digest()).isEqualTo(Sha256.hex("1\tprov-1\treq-1\n2\tprov-2\treq-2\n"));
        assertThat(commit.digest()).isNotEqualTo(new IngestCommit(List.of(created(1),
                new IngestCommit.Created(2, "prov-2", "req-other"))).digest());
    }

    @Test
    void theSignalsOfOneCommitAreContiguousAndNotNone() {
        assertThatThrownBy(() -> new IngestCommit(List.of(created(1), created(3)))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IngestCommit(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void summariesThatStateNoRangeAreNotOne() {
        assertThat(IngestRange.parse("signals 12-15 (3)")).isEmpty();
        assertThat(IngestRange.parse("signals 15-12 (4)")).isEmpty();
        assertThat(IngestRange.parse("signals 0-1 (2)")).isEmpty();
        assertThat(IngestRange.parse("signals 1-99999999999999999999 (1)")).isEmpty();
        assertThat(IngestRange.parse("retention")).isEmpty();
        assertThat(IngestRange.parse("signals 1-10 (10) before the ledger")).contains(new IngestRange(1, 10, true));
    }
}
