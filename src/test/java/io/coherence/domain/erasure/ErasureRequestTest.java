package io.coherence.domain.erasure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ErasureRequestTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final TenantId TENANT = TenantId.of("acme");

    private static ErasureRequest queued(String subject) {
        return ErasureRequest.queued(UUID.randomUUID(), TENANT, new ErasureSubject(subject), ErasureScope.DELETE, T0);
    }

    @Test
    void aRequestRunsItsStepsAndCompletesKeepingOnlyTheSubjectsHash() {
        ErasureRequest r = queued("device-7");
        assertThat(r.status()).isEqualTo(ErasureStatus.QUEUED);
        assertThat(r.step()).isEqualTo(ErasureStep.IDEMPOTENCY_KEYS);
        assertThat(r.subjectId()).isEqualTo("device-7");

        r = r.start(T0.plusSeconds(1));
        for (int i = 0; i < ErasureStep.values().length - 1; i++) {
            r = r.advance();
        }
        assertThat(r.step()).isEqualTo(ErasureStep.AUDIT);
        ErasureRequest done = r.complete(T0.plusSeconds(5), 12, "{}", "a.b.c");

        assertThat(done.status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(done.subject()).isNull();
        assertThat(done.subjectId()).isEqualTo("sha256:" + new ErasureSubject("device-7").sha256());
        assertThat(done.startedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(done.completedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(done.affected()).isEqualTo(12);
        assertThat(done.auditSignature()).isEqualTo("a.b.c");
        assertThat(done.step()).isNull();
    }

    @Test
    void aTakeoverKeepsTheFirstStartAndTheStepReached() {
        ErasureRequest r = queued("device-7").start(T0).advance().start(T0.plusSeconds(90));
        assertThat(r.startedAt()).isEqualTo(T0);
        assertThat(r.step()).isEqualTo(ErasureStep.SIGNALS);
    }

    @Test
    void aRefusalUnderHoldFinishesAtOnceAndForgetsTheSubject() {
        ErasureRequest r = ErasureRequest.refusedAtOnce(UUID.randomUUID(), TENANT, new ErasureSubject("device-7"),
                ErasureScope.MINIMIZE, T0, "held");
        assertThat(r.status()).isEqualTo(ErasureStatus.REFUSED);
        assertThat(r.reason()).isEqualTo("held");
        assertThat(r.subject()).isNull();
        assertThat(r.completedAt()).isEqualTo(T0);
        assertThat(r.affected()).isNull();
    }

    @Test
    void theWholeTenantStaysStarWhenFinished() {
        ErasureRequest r = queued("*").start(T0).fail(T0, "gave up");
        assertThat(r.subjectId()).isEqualTo("*");
        assertThat(r.status()).isEqualTo(ErasureStatus.FAILED);
    }

    @Test
    void illegalMovesAreRefused() {
        assertThatThrownBy(() -> queued("d").complete(T0, 1, "{}", "s")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> queued("d").advance()).isInstanceOf(IllegalStateException.class);
        ErasureRequest done = queued("d").start(T0).refuse(T0, "held");
        assertThatThrownBy(() -> done.start(T0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(done::erasureSubject).isInstanceOf(IllegalStateException.class);
    }
}
