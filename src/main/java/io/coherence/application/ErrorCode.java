package io.coherence.application;

/** Machine-readable error codes; the edges map each to an HTTP status or a GraphQL error once. */
public enum ErrorCode {
    UNAUTHENTICATED,
    FORBIDDEN,
    BAD_USER_INPUT,
    MALFORMED_JSON,
    EMPTY_BATCH,
    BATCH_TOO_LARGE,
    PAYLOAD_TOO_LARGE,
    UNSUPPORTED_MEDIA_TYPE,
    STORE_UNAVAILABLE,
    /** The store did not confirm a write in time and it may still commit: retry the same request to learn. */
    OUTCOME_UNKNOWN,
    INVALID_IDEMPOTENCY_KEY,
    IDEMPOTENCY_KEY_IN_USE,
    IDEMPOTENCY_KEY_REUSED,
    RATE_LIMITED,
    /** An operation on Kafka ingest (DLQ replay) on a server where it is off. */
    KAFKA_NOT_ENABLED,
    /** No audit signing key is configured, so nothing that needs a signed audit (an erasure) may run. */
    AUDIT_KEY_UNAVAILABLE,
    INTERNAL
}
