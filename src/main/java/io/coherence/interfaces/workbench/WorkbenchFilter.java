package io.coherence.interfaces.workbench;

import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.RuntimeSettings;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Serves the workbench page, or hides it: with {@code COHERENCE_WORKBENCH_ENABLED} off (the default)
 * every /workbench path answers 404 {@code NOT_FOUND}; on, the files go out with a content security
 * policy that lets the page load only its own files and talk only to this server. The page is
 * static and needs no token; the API it calls checks the user's. Read from the {@link RuntimeSettings}
 * snapshot, so switching it takes effect within {@code COHERENCE_SETTINGS_REFRESH}.
 */
@WebFilter(urlPatterns = {"/workbench", "/workbench/*"})
public class WorkbenchFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    static final String ROOT = "/workbench/";
    static final String INDEX = ROOT + "index.html";

    /**
     * Everything from this server. Styles may be inline because GraphiQL and Monaco set them at run
     * time; fonts and images may be data: URLs because Monaco's icon font and GraphiQL's images are
     * inlined in its style sheet; workers may start from blob: because Monaco falls back to one when
     * a worker script cannot be loaded. No eval, no inline script, no framing, no forms.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Inject
    transient RuntimeSettings settings;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!settings.current().workbenchEnabled()) {
            ErrorDocuments.refuse(request, response, ErrorCode.NOT_FOUND,
                    "the workbench is not enabled on this server (COHERENCE_WORKBENCH_ENABLED)");
            return;
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.equals("/workbench")) {
            // The page addresses its files and the API relative to /workbench/.
            String query = request.getQueryString();
            response.sendRedirect(request.getContextPath() + ROOT + (query == null ? "" : "?" + query));
            return;
        }
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (path.equals(ROOT) || path.equals(INDEX)) {
            response.setHeader("Cache-Control", "no-store");
            request.getRequestDispatcher(INDEX).forward(request, response);
            return;
        }
        if (path.endsWith("/") || request.getServletContext().getResource(path) == null) {
            // Liberty's own answer would name its exception class and record an FFDC for each miss.
            ErrorDocuments.refuse(request, response, ErrorCode.NOT_FOUND, "the workbench has no file " + path);
            return;
        }
        // The page's scripts keep their names from one release to the next: check before reusing them.
        response.setHeader("Cache-Control", "no-cache");
        chain.doFilter(request, response);
    }
}
