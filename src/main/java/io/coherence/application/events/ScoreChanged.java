package io.coherence.application.events;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;

/** The materializer stored a new score for the tenant. */
public record ScoreChanged(CoherenceScore score, Instant committedAt) implements CoherenceEvent {

    @Override
    public TenantId tenant() {
        return score.tenant();
    }
}
