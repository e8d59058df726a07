package io.coherence.interfaces.rest;

import io.coherence.application.ErrorCode;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimiter;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.OncePerRequestFilter;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The request rate limits, before anything else runs: the global bucket for every API request
 * (CONDUCTOR_RPS_MAX), then the tenant's bucket when the request carries a valid token. Over a
 * limit: 429 {@code RATE_LIMITED} with {@code Retry-After} (a GraphQL error document on /graphql),
 * and nothing is read or written.
 */
public class RateLimitFilter extends OncePerRequestFilter {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RateLimiter limiter;

    @Override
    protected void doFilterOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        // Once per request (see OncePerRequestFilter): a /graphql request takes one token, not two.
        Admission admission = limiter.request();
        if (admission.admitted()) {
            var caller = CallerContext.callerOf(request);
            if (caller.isPresent() && caller.get().tenant().isPresent()) {
                admission = limiter.tenantRequest(caller.get().tenant().get());
            }
        }
        if (admission.admitted()) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader("Retry-After", Long.toString(admission.retryAfterSeconds()));
        ErrorDocuments.refuse(request, response, ErrorCode.RATE_LIMITED,
                "rate limit exceeded (" + admission.limit() + "); retry after " + admission.retryAfterSeconds() + " s");
    }
}
