package io.coherence.application.events;

import io.coherence.domain.tenant.TenantId;
import java.time.Instant;

/** Something that happened to one tenant's data, published only after it was committed. */
public sealed interface CoherenceEvent permits SignalCommitted, ScoreChanged, ScoreRemoved {

    TenantId tenant();

    /** When the server committed it: the start of the commit→send latency. */
    Instant committedAt();
}
