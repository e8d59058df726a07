package io.coherence.application.ingest;

import java.time.Duration;
import java.time.Instant;

/** Where Idempotency-Key claims and their answers are kept, shared by all replicas. */
public interface IdempotencyStore {

    /** What a claim found. */
    sealed interface Claim permits Claimed, Running, Reused, Answered {
    }

    /**
     * The key is this request's now: run it. {@code at} tells this claim from a later one of the
     * same key (after a takeover), so that a late answer cannot land on someone else's claim.
     */
    record Claimed(Instant at) implements Claim {
    }

    /** Another request with this key has not finished. */
    record Running() implements Claim {
    }

    /** The key was used for a different request body. */
    record Reused() implements Claim {
    }

    /** The key's request finished: replay this answer. */
    record Answered(int status, String body) implements Claim {
    }

    /**
     * Claims the key for the request unless a live claim exists (younger than {@code ttl}; a
     * running one younger than {@code runningTimeout}).
     */
    Claim claim(String scope, String key, String requestHash, Duration ttl, Duration runningTimeout);

    /** Keeps the answer of the claim made {@code at}; nothing when that claim is no longer there. */
    void complete(String scope, String key, Instant at, int status, String body);

    /** Forgets the claim made {@code at} so that a retry may run; nothing when it is no longer there. */
    void release(String scope, String key, Instant at);

    /**
     * Releases the running claims an earlier start of this replica left (its process died with
     * their requests), so that their retries run now instead of after the running timeout.
     * Answers how many.
     */
    int releaseAbandoned();

    /**
     * Deletes up to {@code batch} keys claimed longer than {@code ttl} ago, the oldest first, and
     * answers how many. Safe to run on several replicas at once: each deletes other keys.
     */
    int expire(Duration ttl, int batch);
}
