package io.coherence.application.ingest;

import java.util.Map;

/** The port through which health checks and operator endpoints see the stream (Kafka) ingest. */
public interface StreamIngestStatus {

    /** Whether stream ingest is configured on this server at all. */
    boolean enabled();

    /** What it is doing, by name: a Boolean, a Long or text each, for the readiness report. */
    Map<String, Object> report();
}
