package io.coherence.application.ingest;

import java.util.Map;
import java.util.Optional;

/**
 * The port behind the operator's dead-letter replay: ingest the stream's dead letters again once
 * their cause is fixed (the Kafka adapter reads its dead-letter topic from a replay cursor).
 */
public interface DeadLetterReplays {

    /** Which dead letters to replay. */
    record Filter(Optional<String> errorCode, Optional<String> tenantId, int limit) {
    }

    /**
     * What a replay did: dead letters read from the cursor on ({@code scanned}), of which
     * {@code skipped} did not match the filter and {@code replayed} were ingested again:
     * {@code accepted} (stored now), {@code duplicate} (stored before) or {@code failedAgain}
     * (refused again, per error code in {@code failedAgainByCode}; left in place). {@code cursor}:
     * per partition, the offset the next replay starts at. {@code complete}: the replay reached the
     * end the topic had when it started (false when {@code limit} or its deadline stopped it).
     */
    record Result(long scanned, long skipped, long replayed, long accepted, long duplicate, long failedAgain,
                  Map<String, Long> failedAgainByCode, Map<String, Long> cursor, boolean complete) {
    }

    Result replay(Filter filter);
}
