package io.coherence.interfaces;

import io.coherence.application.ErrorCode;

/**
 * The one table from error code to HTTP status, for every HTTP answer that refuses a whole request:
 * REST error bodies and GraphQL requests refused before or instead of running. An error a GraphQL
 * resolver raises while the request runs is a field error in a 200 answer (GraphQL over HTTP), and
 * WebSocket refusals travel in {@code error} messages or close codes; both carry the same codes.
 */
public final class ErrorStatus {

    private ErrorStatus() {
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED, TOKEN_EXPIRED -> 401;
            case FORBIDDEN -> 403;
            case BAD_USER_INPUT, MALFORMED_JSON, EMPTY_BATCH, INVALID_IDEMPOTENCY_KEY, BAD_REQUEST,
                 DOCUMENT_TOO_LARGE, TOO_MANY_OPERATIONS, QUERY_TOO_DEEP, QUERY_TOO_COMPLEX, TOO_MANY_ALIASES,
                 BATCHED_OPERATIONS_NOT_SUPPORTED, OPERATION_NOT_SUPPORTED, INTROSPECTION_DISABLED,
                 PERSISTED_QUERY_INVALID, PERSISTED_QUERY_HASH_MISMATCH, PERSISTED_QUERY_REQUIRED,
                 PERSISTED_QUERY_SUNSET -> 400;
            // GraphQL over HTTP (application/json): a document that does not parse or validate is
            // answered 200 with errors; Apollo clients expect 200 for an unknown hash, then retry.
            case GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, PERSISTED_QUERY_NOT_FOUND -> 200;
            case NOT_FOUND -> 404;
            case METHOD_NOT_ALLOWED, MUTATION_OVER_GET -> 405;
            case NOT_ACCEPTABLE -> 406;
            case IDEMPOTENCY_KEY_IN_USE, KAFKA_NOT_ENABLED -> 409;
            case BATCH_TOO_LARGE, PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case REPLAY_WINDOW_EXCEEDED -> 410;
            case IDEMPOTENCY_KEY_REUSED -> 422;
            case RATE_LIMITED, EVENTS_RATE_LIMITED, SUBSCRIPTION_LIMIT, TENANT_CONNECTION_LIMIT -> 429;
            case INTERNAL -> 500;
            case STORE_UNAVAILABLE, OUTCOME_UNKNOWN, AUDIT_KEY_UNAVAILABLE, FEATURE_DISABLED, SLOW_CONSUMER,
                 EVENTS_DROPPED -> 503;
        };
    }

    /** The code for a status the HTTP layer itself refused with (JAX-RS's 404, 405, 406, 415). */
    public static ErrorCode codeOf(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST;
        };
    }
}
