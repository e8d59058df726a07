package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.RateLimitedException;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.ErrorStatus;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refusal from the application: its code's status (ErrorStatus) and the REST error body. */
@Provider
public class CoherenceExceptionMapper implements ExceptionMapper<CoherenceException> {

    @Override
    public Response toResponse(CoherenceException e) {
        Response.ResponseBuilder response = Response.status(ErrorStatus.of(e.code()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorDocuments.rest(e.code(), e.getMessage(), e.violations()));
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            response.header("WWW-Authenticate", "Bearer realm=\"coherence\"");
        }
        if (e instanceof RateLimitedException limited) {
            response.header("Retry-After", limited.retryAfterSeconds());
        }
        return response.build();
    }
}
