package io.coherence.interfaces.workbench;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.interfaces.PersistedQueryMode;
import io.coherence.interfaces.RuntimeSettings;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The filter without a server: hidden when the setting is off, the page's headers when it is on. */
class WorkbenchFilterTest {

    /** The files the WAR holds under /workbench/. */
    private static final Set<String> FILES = Set.of("/workbench/index.html", "/workbench/main.js",
            "/workbench/workers/graphql.worker.js");

    /** What the filter did to one request. */
    private static final class Exchange {
        final Map<String, Object> attributes = new HashMap<>();
        final Map<String, String> headers = new HashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final AtomicBoolean chained = new AtomicBoolean();
        int status = 200;
        String redirect;
        String forwardedTo;
        final String uri;
        final String query;

        Exchange(String uri, String query) {
            this.uri = uri;
            this.query = query;
        }

        HttpServletRequest request() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "getRequestURI" -> uri;
                        case "getContextPath" -> "";
                        case "getQueryString" -> query;
                        case "getAttribute" -> attributes.get((String) args[0]);
                        case "setAttribute" -> attributes.put((String) args[0], args[1]);
                        case "getRequestDispatcher" -> dispatcher((String) args[0]);
                        case "getServletContext" -> context();
                        default -> null;
                    });
        }

        private ServletContext context() {
            return (ServletContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ServletContext.class}, (proxy, method, args) ->
                            method.getName().equals("getResource") && FILES.contains((String) args[0])
                                    ? URI.create("file:/war" + args[0]).toURL() : null);
        }

        private RequestDispatcher dispatcher(String path) {
            return (RequestDispatcher) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RequestDispatcher.class}, (proxy, method, args) -> {
                        if (method.getName().equals("forward")) {
                            forwardedTo = path;
                        }
                        return null;
                    });
        }

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "setHeader" -> headers.put((String) args[0], (String) args[1]);
                        case "setStatus" -> {
                            status = (Integer) args[0];
                            yield null;
                        }
                        case "sendRedirect" -> {
                            status = 302;
                            redirect = (String) args[0];
                            yield null;
                        }
                        case "getOutputStream" -> out;
                        default -> null;
                    });
        }
    }

    private static Exchange get(boolean enabled, String uri, String query) throws Exception {
        WorkbenchFilter filter = new WorkbenchFilter();
        filter.settings = RuntimeSettings.fixed(new RuntimeSettings.Snapshot(true, PersistedQueryMode.STRICT, enabled));
        Exchange exchange = new Exchange(uri, query);
        filter.doFilter(exchange.request(), exchange.response(), (req, res) -> exchange.chained.set(true));
        return exchange;
    }

    @Test
    void offByDefault() {
        assertThat(new RuntimeSettings.Snapshot(true, PersistedQueryMode.STRICT).workbenchEnabled()).isFalse();
    }

    @Test
    void disabledEveryPathAnswersTheApisNotFoundDocumentAndNoFile() throws Exception {
        for (String uri : new String[] {"/workbench", "/workbench/", "/workbench/index.html", "/workbench/main.js"}) {
            Exchange exchange = get(false, uri, null);

            assertThat(exchange.status).as(uri).isEqualTo(404);
            assertThat(exchange.body.toString(StandardCharsets.UTF_8)).as(uri).contains("\"code\":\"NOT_FOUND\"");
            assertThat(exchange.chained).as(uri).isFalse();
            assertThat(exchange.forwardedTo).as(uri).isNull();
            assertThat(exchange.headers).as(uri).doesNotContainKey("Content-Security-Policy");
        }
    }

    @Test
    void enabledThePageGoesOutWithItsPolicyAndIsNeverStored() throws Exception {
        for (String uri : new String[] {"/workbench/", "/workbench/index.html"}) {
            Exchange exchange = get(true, uri, null);

            assertThat(exchange.forwardedTo).as(uri).isEqualTo("/workbench/index.html");
            assertThat(exchange.headers).as(uri)
                    .containsEntry("Content-Security-Policy", WorkbenchFilter.CONTENT_SECURITY_POLICY)
                    .containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("Referrer-Policy", "no-referrer")
                    .containsEntry("Cache-Control", "no-store");
        }
        assertThat(WorkbenchFilter.CONTENT_SECURITY_POLICY).contains("script-src 'self';", "connect-src 'self';",
                "frame-ancestors 'none'").doesNotContain("unsafe-eval");
    }

    @Test
    void enabledItsFilesGoOutWithThePolicyAndAreCheckedBeforeReuse() throws Exception {
        Exchange exchange = get(true, "/workbench/workers/graphql.worker.js", null);

        assertThat(exchange.chained).isTrue();
        assertThat(exchange.headers).containsEntry("Content-Security-Policy", WorkbenchFilter.CONTENT_SECURITY_POLICY)
                .containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Cache-Control", "no-cache");
    }

    @Test
    void enabledAFileThatIsNotThereIsTheApisNotFoundDocument() throws Exception {
        for (String uri : new String[] {"/workbench/nothing-here.js", "/workbench/workers/"}) {
            Exchange exchange = get(true, uri, null);

            assertThat(exchange.status).as(uri).isEqualTo(404);
            assertThat(exchange.body.toString(StandardCharsets.UTF_8)).as(uri).contains("\"code\":\"NOT_FOUND\"");
            assertThat(exchange.chained).as(uri).isFalse();
        }
    }

    @Test
    void withoutTheSlashTheBrowserIsSentToThePage() throws Exception {
        assertThat(get(true, "/workbench", null).redirect).isEqualTo("/workbench/");
        assertThat(get(true, "/workbench", "a=1").redirect).isEqualTo("/workbench/?a=1");
    }
}
