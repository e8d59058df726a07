package io.coherence.interfaces.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.schema.GraphQLSchema;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where GraphQL documents are prepared ({@link PreparedDocument}): the persisted queries once at
 * startup and kept for good, any other document once per distinct text, kept while it is among the
 * {@value #REMEMBERED_BYTES} bytes of documents seen most recently (dev mode; strict mode refuses
 * free-form documents before they get here). HTTP and WebSocket share it.
 */
@ApplicationScoped
public class PreparedDocuments {

    /** About a thousand typical documents; a document over the size limit is refused unparsed and not kept. */
    static final long REMEMBERED_BYTES = 4L * 1024 * 1024;

    private volatile GraphQLSchema schema;
    private volatile GraphQLLimits limits;
    private final Map<String, PreparedDocument> pinned = new ConcurrentHashMap<>();
    private final Cache<String, PreparedDocument> recent = Caffeine.newBuilder()
            .maximumWeight(REMEMBERED_BYTES).weigher((String text, PreparedDocument d) -> text.length()).build();

    /** For CDI: the whole API schema and the configured limits, set once the bean is built. */
    public PreparedDocuments() {
    }

    public PreparedDocuments(GraphQLSchema schema, GraphQLLimits limits) {
        this.schema = schema;
        this.limits = limits;
    }

    @PostConstruct
    void configure() {
        if (schema == null) {
            schema = ApiSchema.get();
            limits = GraphQLLimits.fromConfig();
        }
    }

    /** The document with this text, prepared now or earlier. */
    public PreparedDocument prepare(String text) {
        PreparedDocument known = pinned.get(text);
        if (known != null) {
            return known;
        }
        known = recent.getIfPresent(text);
        if (known != null) {
            return known;
        }
        PreparedDocument prepared = PreparedDocument.prepare(text, schema, limits);
        if (prepared.document() != null) {
            recent.put(text, prepared);
        }
        return prepared;
    }

    /** Prepares a registered document and keeps it for as long as the application runs. */
    PreparedDocument pin(String text) {
        return pinned.computeIfAbsent(text, t -> PreparedDocument.prepare(t, schema, limits));
    }
}
