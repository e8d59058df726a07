package io.coherence.application;

/**
 * Every machine-readable error code the service answers with, on every transport: the
 * application's refusals first, then those the API's edge decides before any application service
 * runs. The edges map each code to one HTTP status (interfaces.ErrorStatus) and write it in one of
 * three shapes (interfaces.ErrorDocuments): the REST error body, a GraphQL error, a WebSocket
 * {@code error} message.
 */
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
    INTERNAL,

    // The edge: HTTP
    /** The v24.coherence feature flag is off on this deployment. */
    FEATURE_DISABLED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    /** A request refused by the HTTP layer for a reason no other code names. */
    BAD_REQUEST,

    // The edge: GraphQL documents (HTTP and WebSocket alike)
    GRAPHQL_PARSE_FAILED,
    GRAPHQL_VALIDATION_FAILED,
    DOCUMENT_TOO_LARGE,
    TOO_MANY_OPERATIONS,
    QUERY_TOO_DEEP,
    QUERY_TOO_COMPLEX,
    TOO_MANY_ALIASES,
    BATCHED_OPERATIONS_NOT_SUPPORTED,
    MUTATION_OVER_GET,
    /** A query or mutation sent to the subscription endpoint. */
    OPERATION_NOT_SUPPORTED,
    INTROSPECTION_DISABLED,

    // The edge: persisted queries (ADR-002)
    PERSISTED_QUERY_INVALID,
    /** Apollo's answer to an unknown hash: the client retries with the document. */
    PERSISTED_QUERY_NOT_FOUND,
    PERSISTED_QUERY_HASH_MISMATCH,
    PERSISTED_QUERY_REQUIRED,
    PERSISTED_QUERY_SUNSET,

    // The edge: subscriptions
    SUBSCRIPTION_LIMIT,
    TENANT_CONNECTION_LIMIT,
    TOKEN_EXPIRED,
    SLOW_CONSUMER,
    /** Events a subscriber could not take in time were dropped; the stream goes on. */
    EVENTS_DROPPED,
    /** The tenant's events came faster than its event rate; some were not delivered. */
    EVENTS_RATE_LIMITED,
    /** A subscription asked to resume from further back than the replay window keeps. */
    REPLAY_WINDOW_EXCEEDED
}
