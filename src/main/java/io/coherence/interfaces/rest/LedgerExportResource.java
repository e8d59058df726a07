package io.coherence.interfaces.rest;

import io.coherence.application.provenance.LedgerService;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Caller;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.telemetry.TracedOperation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/coherence/ledger/{tenantId}}: the tenant's provenance ledger as stored, one entry
 * per line (docs/ledger.md), for {@code java src/main/tools/LedgerCheck.java FILE} on a machine
 * without the service. Needs {@code coherence:admin} on the token's own tenant. Streamed page by
 * page; an export cut short by a failure fails the offline check (its head names more entries).
 */
@Path("/coherence/ledger")
@ApplicationScoped
public class LedgerExportResource {

    static final String MEDIA_TYPE = "text/plain; charset=UTF-8";

    @Inject
    LedgerService ledger;

    @Inject
    CallerContext callers;

    @Inject
    PolicyEnforcer enforcer;

    @GET
    @Path("/{tenantId}")
    @TracedOperation("ledger export")
    @Produces(MEDIA_TYPE)
    public Response export(@PathParam("tenantId") String tenantId) {
        Caller caller = enforcer.authenticated(callers.current());
        LedgerService.Export export = ledger.export(caller, tenantId);
        StreamingOutput body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            export.writeTo(writer);
            writer.flush();
        };
        return Response.ok(body, MEDIA_TYPE).build();
    }
}
