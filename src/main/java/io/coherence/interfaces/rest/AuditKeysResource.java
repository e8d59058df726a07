package io.coherence.interfaces.rest;

import io.coherence.domain.erasure.AuditKeys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The public keys that verify erasure audit packages: {@code GET /v1/coherence/audit/keys} (a JWKS)
 * and {@code GET /v1/coherence/audit/keys/{kid}.pem} (the one openssl reads). No token needed: a
 * public key is no secret, and an auditor outside any tenant must be able to fetch it.
 */
@Path("/coherence/audit/keys")
@ApplicationScoped
public class AuditKeysResource {

    static final String JWK_SET = "application/jwk-set+json";
    static final String PEM = "application/x-pem-file";

    @Inject
    AuditKeys keys;

    @GET
    @Produces({JWK_SET, MediaType.APPLICATION_JSON})
    public Response keySet() {
        return Response.ok(keys.keySet()).cacheControl(shortLived()).build();
    }

    @GET
    @Path("/{kid}.pem")
    @Produces(PEM)
    public Response pem(@PathParam("kid") String keyId) {
        return keys.publicKeyPem(keyId).map(pem -> Response.ok(pem).cacheControl(shortLived()).build())
                .orElseThrow(NotFoundException::new);
    }

    /** A rotated key shows within minutes. */
    private static CacheControl shortLived() {
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return cache;
    }
}
