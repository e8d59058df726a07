package io.coherence.application.events;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.domain.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a subscriber that resumes ({@code coherenceEvents(tenantId, after)}) missed, from the
 * {@link EventHistory}: first whether {@code after} is inside the replay window, then the events
 * after it, a page at a time. Beyond the window it refuses with {@link ErrorCode#REPLAY_WINDOW_EXCEEDED}
 * rather than sending a stream with a hole in it.
 */
public final class EventReplay {

    private final EventHistory history;
    private final ReplaySettings settings;
    private final Clock clock;

    public EventReplay(EventHistory history, ReplaySettings settings, Clock clock) {
        this.history = history;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Checks that the tenant's events after {@code after} can all be replayed, and returns the
     * tenant's head now: the replay reads up to it, the live stream goes on from there.
     *
     * @throws CoherenceException {@code BAD_USER_INPUT} for a negative {@code after} or one beyond
     *                            the head; {@code REPLAY_WINDOW_EXCEEDED}; {@code STORE_UNAVAILABLE}
     */
    public long check(TenantId tenant, long after) {
        if (after < 0) {
            throw badAfter("NEGATIVE", "after must be 0 or a sequence number this tenant's events carried, not " + after);
        }
        long head;
        SignalCommitted first;
        try {
            head = history.head(tenant);
            List<SignalCommitted> next = after < head ? history.between(tenant, after, head, 1) : List.of();
            first = next.isEmpty() ? null : next.get(0);
        } catch (CoherenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the tenant's event history cannot be read now; subscribe again in a few seconds", List.of(), e);
        }
        if (after > head) {
            throw badAfter("AHEAD_OF_HEAD", "after " + after + " is beyond the last sequence of tenant " + tenant
                    + " (" + head + ")");
        }
        if (head - after > settings.maxEvents()) {
            throw new CoherenceException(ErrorCode.REPLAY_WINDOW_EXCEEDED, "after " + after + " is " + (head - after)
                    + " events behind the tenant's last sequence " + head + "; a subscription can resume at most "
                    + settings.maxEvents() + " events back (after >= " + (head - settings.maxEvents())
                    + "). Subscribe without after and read the score with tenantCoherence");
        }
        Instant oldest = clock.instant().minus(settings.maxAge());
        if (first != null && first.committedAt().isBefore(oldest)) {
            throw new CoherenceException(ErrorCode.REPLAY_WINDOW_EXCEEDED, "the first event after " + after
                    + " (sequence " + first.sequence() + ") was committed at " + first.committedAt()
                    + ", more than " + settings.maxAge() + " ago; a subscription can resume only from events that"
                    + " recent. Subscribe without after and read the score with tenantCoherence");
        }
        return head;
    }

    /** The next page of events after {@code after}, up to {@code upTo}; empty once there are none. */
    public List<SignalCommitted> page(TenantId tenant, long after, long upTo) {
        if (after >= upTo) {
            return List.of();
        }
        return history.between(tenant, after, upTo, settings.pageSize());
    }

    private static CoherenceException badAfter(String code, String message) {
        return new CoherenceException(ErrorCode.BAD_USER_INPUT, message, List.of(new Violation(null, "after", code, message)));
    }
}
