package io.coherence.domain.erasure;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A request to erase a subject's data from a tenant, as stored. {@code subject} is the subject as
 * given while the request waits or runs (the worker needs it); once the request finished only its
 * SHA-256 is kept ({@code subject} is null then, except {@code *}, which names nobody).
 * {@code step} is the step a worker runs next (null once finished), {@code reason} says why a
 * request was refused or failed, or what the last failed attempt met; {@code attempts} counts
 * the attempts that failed.
 */
public record ErasureRequest(UUID id, TenantId tenant, String subject, String subjectSha256, ErasureScope scope,
                             ErasureStatus status, Instant requestedAt, Instant startedAt, Instant completedAt,
                             Long affected, String auditPackage, String auditSignature, String reason,
                             ErasureStep step, int attempts) {

    public ErasureRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(subjectSha256, "subjectSha256");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** A new request, waiting for a worker. */
    public static ErasureRequest queued(UUID id, TenantId tenant, ErasureSubject subject, ErasureScope scope,
                                        Instant now) {
        return new ErasureRequest(id, tenant, subject.value(), subject.sha256(), scope, ErasureStatus.QUEUED, now,
                null, null, null, null, null, null, ErasureStep.first(), 0);
    }

    /** A new request refused at once (the tenant is under legal hold): nothing will be erased. */
    public static ErasureRequest refusedAtOnce(UUID id, TenantId tenant, ErasureSubject subject, ErasureScope scope,
                                               Instant now, String reason) {
        return queued(id, tenant, subject, scope, now).refuse(now, reason);
    }

    /** Refused: by the legal hold found before the first step, or before any later one. */
    public ErasureRequest refuse(Instant now, String reason) {
        return finish(status.moveTo(ErasureStatus.REFUSED), now, null, null, null, reason);
    }

    /** Failed for good: the attempts ran out. */
    public ErasureRequest fail(Instant now, String reason) {
        return finish(status.moveTo(ErasureStatus.FAILED), now, null, null, null, reason);
    }

    /** Done: every step ran; the signed audit package says what was erased. */
    public ErasureRequest complete(Instant now, long affected, String auditPackage, String auditSignature) {
        return finish(status.moveTo(ErasureStatus.COMPLETED), now, affected, auditPackage, auditSignature, null);
    }

    /** Taken by a worker (first, or again after another's lease ended). */
    public ErasureRequest start(Instant now) {
        return new ErasureRequest(id, tenant, subject, subjectSha256, scope, status.moveTo(ErasureStatus.RUNNING),
                requestedAt, startedAt == null ? now : startedAt, null, null, null, null, reason, step, attempts);
    }

    /** The worker finished {@code step}; the request goes on with the next one. */
    public ErasureRequest advance() {
        if (status != ErasureStatus.RUNNING || step == null) {
            throw new IllegalStateException("only a running request has steps to advance: " + status);
        }
        return new ErasureRequest(id, tenant, subject, subjectSha256, scope, status, requestedAt, startedAt, null, null,
                null, null, reason, step.next().orElse(null), attempts);
    }

    /** The subject as a reader may see it: as given while pending, its hash once finished. */
    public String subjectId() {
        return subject != null ? subject : "sha256:" + subjectSha256;
    }

    public ErasureSubject erasureSubject() {
        if (subject == null) {
            throw new IllegalStateException("a finished request keeps only the subject's hash");
        }
        return new ErasureSubject(subject);
    }

    private ErasureRequest finish(ErasureStatus next, Instant now, Long affected, String auditPackage,
                                  String auditSignature, String reason) {
        String kept = ErasureSubject.WHOLE_TENANT.equals(subject) ? subject : null;
        return new ErasureRequest(id, tenant, kept, subjectSha256, scope, next, requestedAt, startedAt, now, affected,
                auditPackage, auditSignature, reason, null, attempts);
    }
}
