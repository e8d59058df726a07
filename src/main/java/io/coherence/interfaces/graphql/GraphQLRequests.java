package io.coherence.interfaces.graphql;

import io.coherence.application.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.util.Optional;

/**
 * Reads a GraphQL request once into a {@link GraphQLRequest}: the persisted-query decision
 * ({@link PersistedQueryResolver}), then the document that runs, prepared once per distinct text
 * ({@link PreparedDocuments}: size, syntax, limits, schema), then the verdict for the operation
 * named. /graphql (HTTP) and WebSocket {@code subscribe} both come here; what is transport-bound
 * (the HTTP body, GET rules, the subscribe message) stays with the transport.
 */
@ApplicationScoped
public class GraphQLRequests {

    @Inject
    PersistedQueryResolver resolver;

    @Inject
    PreparedDocuments documents;

    /** For CDI. */
    public GraphQLRequests() {
    }

    /** Outside CDI (unit tests). */
    public GraphQLRequests(PersistedQueryResolver resolver, PreparedDocuments documents) {
        this.resolver = resolver;
        this.documents = documents;
    }

    /**
     * @param query          the document the client sent, or null
     * @param operationName  the operation to run, or null for the only one
     * @param persistedQuery {@code extensions.persistedQuery}, or null
     */
    public GraphQLRequest read(String query, String operationName, JsonValue persistedQuery) {
        PersistedQueryResolver.Resolution resolution = resolver.resolve(query, persistedQuery);
        if (resolution == null) {
            return GraphQLRequest.refused(ErrorCode.BAD_REQUEST,
                    "send a GraphQL document in query, or extensions.persistedQuery with a registered hash");
        }
        if (resolution instanceof PersistedQueryResolver.Refused refused) {
            return GraphQLRequest.refused(refused.code(), refused.message());
        }
        PersistedQueryResolver.Run run = (PersistedQueryResolver.Run) resolution;
        PreparedDocument document = documents.prepare(run.document());
        Optional<PreparedDocument.Refusal> refusal = document.refusal(operationName);
        GraphQLRequest.Refusal verdict = refusal.map(r -> new GraphQLRequest.Refusal(r.code(), r.message(), r.errors()))
                .orElse(null);
        return new GraphQLRequest(operationName, document, run.entry(), verdict, query == null || !query.equals(run.document()));
    }

    public PersistedQueryResolver resolver() {
        return resolver;
    }
}
