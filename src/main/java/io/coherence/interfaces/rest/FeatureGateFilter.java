package io.coherence.interfaces.rest;

import io.coherence.interfaces.ApiRefusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The {@code v24.coherence} feature flag (MicroProfile Config, read on every request, so a config
 * source that changes at run time takes effect at once). Off: every API route (/v1, /graphql, the
 * subscription endpoint) answers 503 {@code FEATURE_DISABLED}; health and metrics stay up, so the
 * replica stays in rotation for the rollback (the seed's rollback step 1).
 */
public class FeatureGateFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String FLAG = "v24.coherence";
    private static final String MESSAGE = "the coherence API is switched off on this deployment (" + FLAG + "=false)";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (enabled()) {
            chain.doFilter(request, response);
            return;
        }
        ApiRefusals.write(request, response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "FEATURE_DISABLED", MESSAGE);
    }

    static boolean enabled() {
        return ConfigProvider.getConfig().getOptionalValue(FLAG, Boolean.class).orElse(true);
    }
}
