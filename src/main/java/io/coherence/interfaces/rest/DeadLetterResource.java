package io.coherence.interfaces.rest;

import io.coherence.application.ingest.StreamIngestStatus;
import io.coherence.application.ingest.DeadLetterReplays;
import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Operator endpoint: {@code POST /v1/admin/dead-letters/replay[?errorCode=…&tenantId=…&limit=…]}
 * ingests the Kafka dead letters again from the replay cursor on (see {@link DeadLetterReplays}).
 * Needs a token with {@code coherence:admin}; answers what was read and what became of it.
 */
@Path("/admin/dead-letters")
@ApplicationScoped
public class DeadLetterResource {

    static final int MAX_LIMIT = 100_000;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @Inject
    DeadLetterReplays replays;

    @Inject
    StreamIngestStatus stream;

    @POST
    @Path("/replay")
    @TracedOperation("dead-letter replay")
    @Produces(MediaType.APPLICATION_JSON)
    public DeadLetterReplays.Result replay(@QueryParam("errorCode") String errorCode, @QueryParam("tenantId") String tenantId,
                                          @QueryParam("limit") Integer limit) {
        Caller caller = enforcer.authenticated(callers.current());
        enforcer.require(caller, Action.ADMIN, tenantId == null ? "*" : tenantId);
        if (errorCode != null && Arrays.stream(ErrorCode.values()).noneMatch(c -> c.name().equals(errorCode))) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "errorCode must be one of the error codes, e.g. FORBIDDEN");
        }
        if (tenantId != null && (tenantId.isBlank() || tenantId.length() > 128)) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "tenantId must be 1 to 128 characters");
        }
        if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "limit must be between 1 and " + MAX_LIMIT);
        }
        if (!stream.enabled()) {
            throw new CoherenceException(ErrorCode.KAFKA_NOT_ENABLED, "Kafka ingest is not enabled on this server");
        }
        return replays.replay(new DeadLetterReplays.Filter(Optional.ofNullable(errorCode), Optional.ofNullable(tenantId),
                limit == null ? MAX_LIMIT : limit));
    }
}
