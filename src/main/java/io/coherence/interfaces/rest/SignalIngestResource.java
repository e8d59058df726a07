package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ingest.IdempotencyKeys;
import io.coherence.application.ingest.IngestReceipt;
import io.coherence.application.ingest.IngestService;
import io.coherence.application.ingest.IngestSettings;
import io.coherence.application.ingest.SignalJson;
import io.coherence.application.security.CallerContext;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;

/**
 * Push ingest: {@code POST /v1/coherence/signals} with one signal object or an array. Answers 202
 * with one {signalId, provenanceId, status} per item once the signals are durably committed. With
 * an {@code Idempotency-Key} header, a repeat of the same request replays the first answer.
 */
@Path("/coherence/signals")
@RequestScoped
public class SignalIngestResource {

    @Inject
    IngestService ingest;

    @Inject
    IngestSettings settings;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    IdempotencyKeys idempotency;

    private static final Jsonb JSONB = JsonbBuilder.create();

    @POST
    @TracedOperation("ingest")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@HeaderParam("Content-Length") String contentLength,
                            @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body) {
        Caller caller = enforcer.authenticated(callers.current());
        String json = BoundedBody.read(body, contentLength, settings.maxBodyBytes());
        if (idempotencyKey == null) {
            return run(caller, json);
        }
        IdempotencyKeys.Claimed claim = idempotency.claim(caller, idempotencyKey, json);
        if (claim.replay() != null) {
            return Response.status(claim.replay().status()).type(MediaType.APPLICATION_JSON)
                    .entity(claim.replay().body()).header("Idempotent-Replayed", "true").build();
        }
        try {
            Response answer = run(caller, json);
            claim.finish(answer.getStatus(), JSONB.toJson(answer.getEntity()));
            return answer;
        } catch (CoherenceException e) {
            Response refused = new CoherenceExceptionMapper().toResponse(e);
            claim.finish(refused.getStatus(), JSONB.toJson(refused.getEntity()));
            throw e;
        } catch (RuntimeException e) {
            claim.finish(500, null);
            throw e;
        }
    }

    private Response run(Caller caller, String json) {
        SignalJson.Parsed parsed = SignalJson.parse(json);
        IngestReceipt receipt = ingest.ingest(caller, parsed.items(), parsed.batch(), "http");
        return Response.accepted(IngestResponse.of(receipt)).build();
    }
}
