package io.coherence.interfaces;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A filter that acts once per request. Liberty runs a filter twice for one request when two of
 * its URL patterns match it (/graphql and /graphql/*); the second pass only continues the chain.
 */
public abstract class OncePerRequestFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    @Override
    protected final void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String seen = getClass().getName() + ".seen";
        if (request.getAttribute(seen) != null) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(seen, Boolean.TRUE);
        doFilterOnce(request, response, chain);
    }

    protected abstract void doFilterOnce(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException;
}
