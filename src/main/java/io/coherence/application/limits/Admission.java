package io.coherence.application.limits;

import java.time.Duration;

/** Whether the tokens were taken; when not, how long until they would be, and which limit said no. */
public record Admission(boolean admitted, Duration retryAfter, String limit) {

    public static final Admission ADMITTED = new Admission(true, Duration.ZERO, null);

    public static Admission refused(Duration retryAfter, String limit) {
        return new Admission(false, retryAfter, limit);
    }

    /** For a Retry-After header: whole seconds, at least 1. */
    public long retryAfterSeconds() {
        long nanos = retryAfter.toNanos();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    Admission by(String name) {
        return admitted ? this : new Admission(false, retryAfter, name);
    }
}
