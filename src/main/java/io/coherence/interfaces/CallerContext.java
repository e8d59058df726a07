package io.coherence.interfaces;

import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The caller of the current HTTP request, from its bearer token as the token verifier accepted it
 * (signature, algorithm, issuer, audience, expiry; the interfaces' bearer token filter asks it).
 * Claims: {@code tenant} (string) and {@code scope} (space-separated). A request without a valid
 * token has no caller.
 */
@RequestScoped
public class CallerContext {

    private static final String CALLER = CallerContext.class.getName() + ".caller";

    @Inject
    HttpServletRequest request;

    public Optional<Caller> current() {
        return callerOf(request);
    }

    /** The caller of a request the bearer token filter authenticated (also in a servlet filter, before CDI scopes matter). */
    public static Optional<Caller> callerOf(HttpServletRequest request) {
        return Optional.ofNullable((Caller) request.getAttribute(CALLER));
    }

    /** Makes this verified caller the request's caller. */
    public static void authenticated(HttpServletRequest request, Caller caller) {
        request.setAttribute(CALLER, caller);
    }
}
