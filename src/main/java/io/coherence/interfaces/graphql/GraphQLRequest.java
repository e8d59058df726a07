package io.coherence.interfaces.graphql;

import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.interfaces.ErrorDocuments;
import jakarta.json.JsonObject;
import jakarta.servlet.ServletRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One GraphQL request, read once by {@link GraphQLRequests}: what the client sent (document or
 * persisted-query hash, operation name, variables), the document that runs ({@link PreparedDocument},
 * with the registered entry it came from), the verdict on it (a {@link Refusal}, or none), and
 * while it runs the refusals its resolvers raised. Over HTTP it is a request attribute every later
 * step reads (the metrics, the operation log, the answer's error codes); the WebSocket
 * {@code subscribe} path reads the same object.
 */
public final class GraphQLRequest {

    private static final String ATTRIBUTE = GraphQLRequest.class.getName();

    /** Why the request does not run: the code and the GraphQL errors that say it. */
    public record Refusal(ErrorCode code, String message, List<JsonObject> errors) {

        static Refusal of(ErrorCode code, String message) {
            return new Refusal(code, message, List.of(ErrorDocuments.graphql(code, message)));
        }
    }

    /** A refusal a resolver raised while the request ran, for the answer's {@code extensions}. */
    public record Raised(ErrorCode code, String message, List<Violation> violations) {
    }

    private final String operationName;
    private final PreparedDocument document;
    private final PersistedQueryCatalog.Entry entry;
    private final Refusal refusal;
    private final boolean resolvedByHash;
    private final List<Raised> raised = new CopyOnWriteArrayList<>();

    GraphQLRequest(String operationName, PreparedDocument document, PersistedQueryCatalog.Entry entry,
                   Refusal refusal, boolean resolvedByHash) {
        this.operationName = operationName;
        this.document = document;
        this.entry = entry;
        this.refusal = refusal;
        this.resolvedByHash = resolvedByHash;
    }

    static GraphQLRequest refused(ErrorCode code, String message) {
        return new GraphQLRequest(null, null, null, Refusal.of(code, message), false);
    }

    /** The request being answered on this HTTP request, or null before the edge has read it. */
    public static GraphQLRequest of(ServletRequest request) {
        return (GraphQLRequest) request.getAttribute(ATTRIBUTE);
    }

    void attachTo(ServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }

    public String operationName() {
        return operationName;
    }

    /** The document that runs; null when the request was refused before one was picked. */
    public PreparedDocument document() {
        return document;
    }

    /** The registered entry the document is, or null. */
    public PersistedQueryCatalog.Entry entry() {
        return entry;
    }

    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The document came from the persisted-query registry by hash, not from the request's text. */
    public boolean resolvedByHash() {
        return resolvedByHash;
    }

    /** query, mutation or subscription; unknown when no operation was picked. */
    public String operationType() {
        return document == null ? "unknown" : document.operationType(operationName);
    }

    public boolean introspectionOnly() {
        return document != null && document.introspectionOnly(operationName);
    }

    /** Notes a refusal a resolver raised (the code is known where the refusal is made). */
    public void raised(ErrorCode code, String message, List<Violation> violations) {
        raised.add(new Raised(code, message, violations));
    }

    /** The refusal a resolver raised with this message, if one did. */
    public Optional<Raised> raisedWith(String message) {
        return raised.stream().filter(r -> r.message().equals(message)).findFirst();
    }

    public boolean anyRaised() {
        return !raised.isEmpty();
    }
}
