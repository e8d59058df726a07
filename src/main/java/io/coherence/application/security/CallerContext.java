package io.coherence.application.security;

import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from the JWT that MicroProfile JWT already verified
 * (signature, issuer, audience, expiry). Claims: {@code tenant} (string) and {@code scope}
 * (space-separated). A request without a valid token has no caller.
 */
@RequestScoped
public class CallerContext {

    @Inject
    HttpServletRequest request;

    public Optional<Caller> current() {
        return callerOf(request);
    }

    /** The caller of a request MicroProfile JWT has seen (also in a servlet filter, before CDI scopes matter). */
    public static Optional<Caller> callerOf(HttpServletRequest request) {
        // The principal rather than an injected JsonWebToken: injecting one into an anonymous
        // request makes Liberty log an error for every such request.
        Principal principal = request.getUserPrincipal();
        if (!(principal instanceof JsonWebToken token) || token.getRawToken() == null) {
            return Optional.empty();
        }
        return Optional.of(CallerClaims.caller(token.getSubject(), stringClaim(token, "tenant"),
                stringClaim(token, "scope")));
    }

    private static String stringClaim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        if (value instanceof JsonString json) {
            return json.getString();
        }
        return value instanceof String s ? s : null;
    }
}
