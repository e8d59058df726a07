package io.coherence.domain.erasure;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an erasure request is. A request is queued, then running (possibly several times: a
 * worker that died leaves it running until its lease ends, and another takes it over), and ends
 * completed, refused (the tenant is under legal hold) or failed (it kept failing). The three
 * ends are final.
 */
public enum ErasureStatus {
    QUEUED,
    RUNNING,
    COMPLETED,
    REFUSED,
    FAILED;

    /** Whether a request may go from this status to {@code next}. */
    public boolean canMoveTo(ErasureStatus next) {
        return successors().contains(next);
    }

    /** Completed, refused or failed: nothing happens to the request any more. */
    public boolean finished() {
        return successors().isEmpty();
    }

    private Set<ErasureStatus> successors() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, REFUSED);
            // RUNNING again: another worker takes over a request whose lease ended.
            case RUNNING -> EnumSet.of(RUNNING, COMPLETED, REFUSED, FAILED);
            case COMPLETED, REFUSED, FAILED -> EnumSet.noneOf(ErasureStatus.class);
        };
    }

    /** Refuses a transition the state machine does not allow. */
    public ErasureStatus moveTo(ErasureStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("an erasure request cannot go from " + this + " to " + next);
        }
        return next;
    }
}
