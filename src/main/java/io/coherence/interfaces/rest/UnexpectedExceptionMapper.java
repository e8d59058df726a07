package io.coherence.interfaces.rest;

import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Anything unforeseen: logged with an incident id; the caller gets the id, never the trace. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "unexpected error, incident " + incident, e);
        return Response.serverError().type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ErrorDocuments.rest(ErrorCode.INTERNAL, "internal error, incident " + incident, List.of())).build();
    }
}
