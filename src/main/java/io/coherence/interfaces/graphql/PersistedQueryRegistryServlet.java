package io.coherence.interfaces.graphql;

import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.coherence.application.ErrorCode;
import io.coherence.interfaces.CallerContext;
import io.coherence.interfaces.ErrorDocuments;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.Locale;

/**
 * {@code GET /v1/persisted-queries}: the registry a client may run by hash (ADR-002), with the
 * server's mode, for the workbench and for client generators. Any valid token may read it (the
 * documents are the API's public operations; without a token, 401), and in strict mode too: it
 * is how a client learns what it may send. Behind the same filters as every {@code /v1} route.
 */
@WebServlet("/v1/persisted-queries")
public class PersistedQueryRegistryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient PersistedQueryResolver resolver;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (CallerContext.callerOf(request).isEmpty()) {
            ErrorDocuments.refuse(request, response, ErrorCode.UNAUTHENTICATED,
                    "a bearer token is required to read the persisted-query registry");
            return;
        }
        JsonArrayBuilder queries = Json.createArrayBuilder();
        resolver.catalog().entries().stream().sorted(Comparator.comparing(PersistedQueryCatalog.Entry::id))
                .forEach(e -> queries.add(entry(e)));
        byte[] body = Json.createObjectBuilder()
                .add("mode", resolver.mode().name().toLowerCase(Locale.ROOT))
                .add("queries", queries).build().toString().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static JsonObjectBuilder entry(PersistedQueryCatalog.Entry e) {
        JsonObjectBuilder o = Json.createObjectBuilder()
                .add("id", e.id())
                .add("version", Integer.parseInt(e.id().substring(e.id().lastIndexOf("_v") + 2)))
                .add("sha256", e.sha256())
                .add("document", e.document())
                .add("operation", operation(e.document()));
        date(o, "deprecated", e.deprecated());
        date(o, "sunset", e.sunset());
        if (e.successor() == null) {
            o.addNull("successor");
        } else {
            o.add("successor", e.successor());
        }
        return o;
    }

    /** The catalog checked at startup that each document holds exactly one operation. */
    private static String operation(String document) {
        return Parser.parse(document).getDefinitionsOfType(OperationDefinition.class).get(0).getOperation().name()
                .toLowerCase(Locale.ROOT);
    }

    private static void date(JsonObjectBuilder o, String name, LocalDate date) {
        if (date == null) {
            o.addNull(name);
        } else {
            o.add(name, date.toString());
        }
    }
}
