package io.coherence.application.erasure;

import static io.coherence.application.erasure.ErasureFixture.TENANT;
import static io.coherence.application.erasure.ErasureFixture.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.policy.Caller;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ErasureServiceTest {

    private final ErasureFixture f = new ErasureFixture();

    @Test
    void anAdminOfTheTenantQueuesARequestAndTheWorkerIsToldAtOnce() {
        ErasureRequest r = f.service.requestErasure(admin(TENANT), TENANT, "device-7", ErasureScope.DELETE);

        assertThat(r.status()).isEqualTo(ErasureStatus.QUEUED);
        assertThat(r.subjectId()).isEqualTo("device-7");
        assertThat(f.stored(r.id())).isEqualTo(r);
        assertThat(f.queuedEvents).containsExactly(r.id());
        assertThat(f.service.erasureRequest(admin(TENANT), TENANT, r.id().toString())).contains(r);
    }

    @Test
    void underLegalHoldTheRequestIsStoredRefusedWithAReasonAndNoWorkerIsTold() {
        f.held.add(TENANT);

        ErasureRequest r = f.service.requestErasure(admin(TENANT), TENANT, "device-7", ErasureScope.MINIMIZE);

        assertThat(r.status()).isEqualTo(ErasureStatus.REFUSED);
        assertThat(r.reason()).contains("legal hold");
        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.REFUSED);
        assertThat(f.queuedEvents).isEmpty();
        assertThat(f.store.oldestPending()).isEmpty();
    }

    @Test
    void withoutTheAdminScopeOrForAnotherTenantNothingIsQueued() {
        Caller reader = new Caller("u", Optional.of(TENANT), Set.of("coherence:read", "coherence:write"));
        assertThat(code(() -> f.service.requestErasure(reader, TENANT, "d", ErasureScope.DELETE))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(code(() -> f.service.requestErasure(admin("other"), TENANT, "d", ErasureScope.DELETE))).isEqualTo(ErrorCode.FORBIDDEN);
        Caller noTenant = new Caller("u", Optional.empty(), Set.of("coherence:admin"));
        assertThat(code(() -> f.service.requestErasure(noTenant, TENANT, "d", ErasureScope.DELETE))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(f.store.rows).isEmpty();
        assertThat(f.queuedEvents).isEmpty();
    }

    @Test
    void anotherTenantsRequestIsNotFoundAndAnUnknownIdNeither() {
        ErasureRequest theirs = f.service.requestErasure(admin("other"), "other", "device-7", ErasureScope.DELETE);

        assertThat(f.service.erasureRequest(admin(TENANT), TENANT, theirs.id().toString())).isEmpty();
        assertThat(f.service.erasureRequest(admin(TENANT), TENANT, UUID.randomUUID().toString())).isEmpty();
        assertThat(code(() -> f.service.erasureRequest(admin(TENANT), "other", theirs.id().toString())))
                .isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void malformedOversizedAndHostileSubjectsAreRefusedNamingTheFieldAndStoreNothing() {
        assertThat(violation(() -> f.service.requestErasure(admin(TENANT), TENANT, "", ErasureScope.DELETE)))
                .isEqualTo("subjectId:REQUIRED");
        assertThat(violation(() -> f.service.requestErasure(admin(TENANT), TENANT, "x".repeat(10_000), ErasureScope.DELETE)))
                .isEqualTo("subjectId:TOO_LONG");
        assertThat(violation(() -> f.service.requestErasure(admin(TENANT), TENANT, "dev\u0000ice", ErasureScope.DELETE)))
                .isEqualTo("subjectId:NOT_PRINTABLE");
        assertThat(violation(() -> f.service.requestErasure(admin(TENANT), TENANT, "x\u202Eexe", ErasureScope.DELETE)))
                .isEqualTo("subjectId:NOT_PRINTABLE");
        assertThat(violation(() -> f.service.requestErasure(admin(TENANT), TENANT, "d", null))).isEqualTo("scope:REQUIRED");
        assertThat(violation(() -> f.service.erasureRequest(admin(TENANT), TENANT, "1 OR 1=1"))).isEqualTo("id:NOT_AN_ID");
        assertThat(f.store.rows).isEmpty();
    }

    @Test
    void subjectsFollowTheTextRulesOfASignalSource() {
        assertThat(ErasureService.textViolation("device-7")).isEmpty();
        assertThat(ErasureService.textViolation("Gerät 7 (Küche)")).isEmpty();
        assertThat(ErasureService.textViolation("*")).isEmpty();
        assertThat(ErasureService.textViolation("x".repeat(128))).isEmpty();
        assertThat(ErasureService.textViolation(null)).contains("REQUIRED");
        assertThat(ErasureService.textViolation("   ")).contains("REQUIRED");
        assertThat(ErasureService.textViolation("x".repeat(129))).contains("TOO_LONG");
        assertThat(ErasureService.textViolation("a\nb")).contains("NOT_PRINTABLE");
        assertThat(ErasureService.textViolation("zero\u200Bwidth")).contains("NOT_PRINTABLE");
        assertThat(ErasureService.textViolation(" padded")).contains("NOT_PRINTABLE");
        assertThat(ErasureService.textViolation("padded\u00A0")).contains("NOT_PRINTABLE");
    }

    @Test
    void withoutAnAuditKeyNoErasureIsAcceptedButAnUnauthorizedCallerLearnsNothingOfIt() {
        f.signerConfigured = false;

        assertThat(code(() -> f.service.requestErasure(admin(TENANT), TENANT, "d", ErasureScope.DELETE)))
                .isEqualTo(ErrorCode.AUDIT_KEY_UNAVAILABLE);
        assertThat(code(() -> f.service.requestErasure(admin("other"), TENANT, "d", ErasureScope.DELETE)))
                .isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(f.store.rows).isEmpty();
    }

    @Test
    void aStoreOutageIsAnErrorNotALostRequest() {
        f.store.failing = true;
        assertThatThrownBy(() -> f.service.requestErasure(admin(TENANT), TENANT, "d", ErasureScope.DELETE))
                .isInstanceOf(IllegalStateException.class);
        assertThat(f.queuedEvents).isEmpty();
    }

    private static ErrorCode code(Runnable call) {
        try {
            call.run();
        } catch (CoherenceException e) {
            return e.code();
        }
        throw new AssertionError("not refused");
    }

    private static String violation(Runnable call) {
        try {
            call.run();
        } catch (CoherenceException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_USER_INPUT);
            Violation v = e.violations().get(0);
            assertThat(e.violations()).hasSize(1);
            return v.field() + ":" + v.code();
        }
        throw new AssertionError("not refused");
    }
}
