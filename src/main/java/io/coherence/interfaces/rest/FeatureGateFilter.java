package io.coherence.interfaces.rest;

import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.RuntimeSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The {@code v24.coherence} feature flag, from the {@link RuntimeSettings} snapshot (a config
 * source that changes at run time takes effect within {@code COHERENCE_SETTINGS_REFRESH}). Off:
 * every API route (/v1, /graphql, the subscription endpoint) answers 503 {@code FEATURE_DISABLED};
 * health and metrics stay up, so the replica stays in rotation for the rollback (the seed's
 * rollback step 1).
 */
public class FeatureGateFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String MESSAGE = "the coherence API is switched off on this deployment (v24.coherence=false)";

    @Inject
    transient RuntimeSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (settings.current().apiEnabled()) {
            chain.doFilter(request, response);
            return;
        }
        ErrorDocuments.refuse(request, response, ErrorCode.FEATURE_DISABLED, MESSAGE);
    }
}
