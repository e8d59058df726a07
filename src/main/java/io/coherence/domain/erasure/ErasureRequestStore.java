package io.coherence.domain.erasure;

import io.coherence.domain.tenant.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The erasure queue, shared by every replica. A worker claims a request with a lease under a
 * token of its own; every later write names that token and does nothing (answers false) once
 * the lease went to another worker, so two workers never both act on one request.
 */
public interface ErasureRequestStore {

    /** A request a worker holds: the request, its lease token, and what earlier steps found (JSON per step). */
    record Claim(ErasureRequest request, String token, Map<ErasureStep, String> findings) {
    }

    void insert(ErasureRequest request);

    /** The tenant's request with that id; empty for an unknown id and for another tenant's. */
    Optional<ErasureRequest> find(TenantId tenant, UUID id);

    /**
     * Claims the oldest queued request, or a running one whose lease ended (its worker died or
     * paused it), for {@code lease}; it becomes RUNNING with one more attempt.
     */
    Optional<Claim> claim(String token, Duration lease);

    /** Extends the lease; false when the token no longer holds the request. */
    boolean renew(UUID id, String token, Duration lease);

    /** Stores the step's findings and the next step; false when the token no longer holds the request. */
    boolean advance(UUID id, String token, ErasureStep done, String findingsJson, ErasureStep next, Duration lease);

    /**
     * Lets the request go until {@code retryAt}, noting why: a step waits, or ({@code failed}) an
     * attempt failed, which counts one more failed attempt.
     */
    void release(UUID id, String token, Instant retryAt, String note, boolean failed);

    /** Stores a finished request (completed, refused, failed); false when the token no longer holds it. */
    boolean finish(ErasureRequest finished, String token);

    /** When the oldest queued or running request was made; empty when none waits. */
    Optional<Instant> oldestPending();
}
