package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.RateLimitedException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Maps each error code to its HTTP status, once, for every resource. */
@Provider
public class CoherenceExceptionMapper implements ExceptionMapper<CoherenceException> {

    @Override
    public Response toResponse(CoherenceException e) {
        Response.ResponseBuilder response = Response.status(status(e.code()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorBody.of(e.code().name(), e.getMessage(), e.violations()));
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            response.header("WWW-Authenticate", "Bearer realm=\"coherence\"");
        }
        if (e instanceof RateLimitedException limited) {
            response.header("Retry-After", limited.retryAfterSeconds());
        }
        return response.build();
    }

    static int status(ErrorCode code) {
        return switch (code) {
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case BAD_USER_INPUT, MALFORMED_JSON, EMPTY_BATCH, INVALID_IDEMPOTENCY_KEY -> 400;
            case IDEMPOTENCY_KEY_IN_USE, KAFKA_NOT_ENABLED -> 409;
            case IDEMPOTENCY_KEY_REUSED -> 422;
            case RATE_LIMITED -> 429;
            case BATCH_TOO_LARGE, PAYLOAD_TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case STORE_UNAVAILABLE, OUTCOME_UNKNOWN, AUDIT_KEY_UNAVAILABLE -> 503;
            case INTERNAL -> 500;
        };
    }
}
