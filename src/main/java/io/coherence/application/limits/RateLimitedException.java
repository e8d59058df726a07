package io.coherence.application.limits;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;

/** RATE_LIMITED, with how long the caller should wait (the Retry-After header). */
public class RateLimitedException extends CoherenceException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public RateLimitedException(Admission refusal) {
        super(ErrorCode.RATE_LIMITED, "rate limit exceeded (" + refusal.limit() + "); retry after "
                + refusal.retryAfterSeconds() + " s");
        this.retryAfterSeconds = refusal.retryAfterSeconds();
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
