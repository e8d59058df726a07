package io.coherence.interfaces.rest;

import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.ErrorStatus;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/** JAX-RS's own refusals (wrong media type, method, path) in the same error shape. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = status == 415 ? "send the signals as application/json"
                : Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : "request refused";
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorDocuments.rest(ErrorStatus.codeOf(status), message, List.of())).build();
    }
}
