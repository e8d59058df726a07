package io.coherence.interfaces.rest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ingest.IdempotencyStore;
import io.coherence.application.ingest.IdempotentIngest;
import io.coherence.application.ingest.IngestReceipt;
import io.coherence.application.ingest.IngestService;
import io.coherence.application.ingest.IngestSettings;
import io.coherence.application.ingest.SignalJson;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.ErrorStatus;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
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
 * an {@code Idempotency-Key} header, a repeat of the same request replays the first answer
 * ({@link IdempotentIngest} decides which answers are kept).
 */
@Path("/coherence/signals")
@ApplicationScoped
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
    IdempotentIngest idempotent;

    private static final Jsonb JSONB = JsonbBuilder.create();

    /** The answers as this resource writes them, kept for replays exactly as written. */
    private static final IdempotentIngest.Answers ANSWERS = new IdempotentIngest.Answers() {
        @Override
        public IdempotencyStore.Answered accepted(IngestReceipt receipt) {
            return new IdempotencyStore.Answered(Response.Status.ACCEPTED.getStatusCode(),
                    JSONB.toJson(IngestResponse.of(receipt)));
        }

        @Override
        public IdempotencyStore.Answered refused(CoherenceException refusal) {
            return new IdempotencyStore.Answered(ErrorStatus.of(refusal.code()),
                    ErrorDocuments.rest(refusal.code(), refusal.getMessage(), refusal.violations()).toString());
        }
    };

    @POST
    @TracedOperation("ingest")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response publish(@HeaderParam("Content-Length") String contentLength,
                            @HeaderParam("Idempotency-Key") String idempotencyKey, InputStream body) {
        Caller caller = enforcer.authenticated(callers.current());
        String json = BoundedBody.read(body, contentLength, settings.maxBodyBytes());
        if (idempotencyKey == null) {
            SignalJson.Parsed parsed = SignalJson.parse(json);
            return Response.accepted(IngestResponse.of(ingest.ingest(caller, parsed.items(), parsed.batch(), "http")))
                    .build();
        }
        IdempotentIngest.Result result = idempotent.ingest(caller, idempotencyKey, json, ANSWERS);
        if (result instanceof IdempotentIngest.Replayed replayed) {
            return Response.status(replayed.answer().status()).type(MediaType.APPLICATION_JSON)
                    .entity(replayed.answer().body()).header("Idempotent-Replayed", "true").build();
        }
        return Response.accepted(IngestResponse.of(((IdempotentIngest.Fresh) result).receipt())).build();
    }
}
