package io.coherence.application.events;

import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;

/** Committed events for tests, with every field derived from the few that matter. */
public final class Events {

    public static final TenantId TENANT = TenantId.of("tenant-a");
    public static final Instant TS = Instant.parse("2026-03-01T12:00:00Z");

    private Events() {
    }

    public static SignalCommitted signal(long sequence) {
        return signal(TENANT, sequence);
    }

    public static SignalCommitted signal(TenantId tenant, long sequence) {
        return new SignalCommitted(tenant, sequence, "sig-" + sequence, "latency", 0.25 + sequence % 2 * 0.5, 1.5,
                "probe-1", TS.plusSeconds(sequence), "prov-" + sequence, TS.plusSeconds(sequence).plusMillis(3));
    }

    /** A score stored {@code secondsAfter} seconds after {@link #TS}. */
    public static ScoreChanged score(TenantId tenant, double value, long secondsAfter) {
        Instant at = TS.plusSeconds(secondsAfter);
        return new ScoreChanged(new CoherenceScore(tenant, value, ScoreStatus.of(value), at), at.plusMillis(7));
    }
}
