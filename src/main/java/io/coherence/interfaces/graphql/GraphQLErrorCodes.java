package io.coherence.interfaces.graphql;

import io.coherence.application.CoherenceException;
import io.coherence.application.Violation;
import io.coherence.interfaces.telemetry.TracedOperationInterceptor;
import jakarta.enterprise.context.RequestScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers, for the current request, the code and violations of each refusal a resolver raised,
 * by message, so {@link GraphQLErrorFilter} can put them into {@code extensions}.
 */
@RequestScoped
public class GraphQLErrorCodes {

    record Refusal(String code, List<Violation> violations) {
    }

    private final Map<String, Refusal> byMessage = new ConcurrentHashMap<>();

    GraphQLRefusal register(CoherenceException e) {
        TracedOperationInterceptor.refused(e.code().name());
        byMessage.put(e.getMessage(), new Refusal(e.code().name(), e.violations()));
        return new GraphQLRefusal(e.getMessage());
    }

    Optional<Refusal> find(String message) {
        return Optional.ofNullable(message).map(byMessage::get);
    }
}
