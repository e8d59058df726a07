package io.coherence.interfaces.rest;

import io.coherence.interfaces.OperationOutcome;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Notes what a /v1 answer says for the operation log: the error code of an error body (whichever
 * mapper wrote it) and the provenance ids of an ingest answer.
 */
@Provider
public class OperationOutcomeFilter implements ContainerResponseFilter {

    @Context
    HttpServletRequest request;

    @Override
    public void filter(ContainerRequestContext requestContext, ContainerResponseContext responseContext) {
        Object entity = responseContext.getEntity();
        if (entity instanceof JsonObject body && body.get("error") instanceof JsonObject error) {
            OperationOutcome.refused(request, error.getString("code", null));
        } else if (entity instanceof IngestResponse ingested) {
            OperationOutcome.ingested(request, ingested.items());
        }
    }
}
