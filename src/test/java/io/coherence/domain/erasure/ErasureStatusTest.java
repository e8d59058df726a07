package io.coherence.domain.erasure;

import static io.coherence.domain.erasure.ErasureStatus.COMPLETED;
import static io.coherence.domain.erasure.ErasureStatus.FAILED;
import static io.coherence.domain.erasure.ErasureStatus.QUEUED;
import static io.coherence.domain.erasure.ErasureStatus.REFUSED;
import static io.coherence.domain.erasure.ErasureStatus.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ErasureStatusTest {

    @Test
    void onlyTheDrawnTransitionsAreLegal() {
        Set<String> legal = Set.of("QUEUED>RUNNING", "QUEUED>REFUSED", "RUNNING>RUNNING", "RUNNING>COMPLETED",
                "RUNNING>REFUSED", "RUNNING>FAILED");
        for (ErasureStatus from : ErasureStatus.values()) {
            for (ErasureStatus to : ErasureStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + ">" + to).isEqualTo(legal.contains(from + ">" + to));
            }
        }
    }

    @Test
    void theThreeEndsAreFinal() {
        assertThat(EnumSet.allOf(ErasureStatus.class).stream().filter(ErasureStatus::finished))
                .containsExactlyInAnyOrder(COMPLETED, REFUSED, FAILED);
        assertThat(QUEUED.finished()).isFalse();
        assertThat(RUNNING.finished()).isFalse();
    }

    @Test
    void anIllegalMoveIsRefused() {
        assertThatThrownBy(() -> QUEUED.moveTo(COMPLETED)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QUEUED to COMPLETED");
        assertThatThrownBy(() -> COMPLETED.moveTo(RUNNING)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> REFUSED.moveTo(QUEUED)).isInstanceOf(IllegalStateException.class);
        assertThat(QUEUED.moveTo(RUNNING)).isEqualTo(RUNNING);
    }

    @Test
    void stepsRunInOrderAndEndWithTheAudit() {
        assertThat(ErasureStep.first()).isEqualTo(ErasureStep.IDEMPOTENCY_KEYS);
        assertThat(ErasureStep.IDEMPOTENCY_KEYS.next()).contains(ErasureStep.SIGNALS);
        assertThat(ErasureStep.EVENTS.next()).contains(ErasureStep.AUDIT);
        assertThat(ErasureStep.AUDIT.next()).isEmpty();
    }
}
