package io.coherence.application.ingest;

import java.time.Duration;

/** Where Idempotency-Key claims and their answers are kept, shared by all replicas. */
public interface IdempotencyStore {

    /** What a claim found. */
    sealed interface Claim permits Claimed, Running, Reused, Answered {
    }

    /** The key is this request's now: run it. */
    record Claimed() implements Claim {
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

    void complete(String scope, String key, int status, String body);

    /** Forgets the claim: the request failed on the server's side and may be retried. */
    void release(String scope, String key);
}
