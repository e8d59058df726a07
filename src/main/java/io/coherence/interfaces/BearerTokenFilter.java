package io.coherence.interfaces;

import io.coherence.application.CoherenceException;
import io.coherence.application.security.TokenVerifier;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Authenticates /v1 and /graphql requests: an {@code Authorization: Bearer} token that the token
 * verifier accepts (the same one, and the same rules, as WebSocket {@code connection_init})
 * makes its caller the request's caller; any other request goes on without one, and the API
 * answers it UNAUTHENTICATED. This replaces Liberty's MicroProfile JWT on HTTP because that one
 * writes every token it rejects into messages.log and FFDC files; nothing here logs a token.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private static final long serialVersionUID = 1L;
    private static final String BEARER = "Bearer ";

    @Inject
    transient TokenVerifier verifier;

    @Override
    protected void doFilterOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            try {
                CallerContext.authenticated(request, verifier.verify(header.substring(BEARER.length()).trim()).caller());
            } catch (CoherenceException refused) {
                // No caller: the operation refuses with UNAUTHENTICATED, as for a request without a token.
            }
        }
        chain.doFilter(request, response);
    }
}
