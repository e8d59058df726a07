package io.coherence.interfaces.graphql;

/**
 * A refusal raised by a resolver. It is checked on purpose: MicroProfile GraphQL shows the
 * messages of checked exceptions to the client and hides those of unchecked ones.
 */
public class GraphQLRefusal extends Exception {

    private static final long serialVersionUID = 1L;

    GraphQLRefusal(String message) {
        super(message, null, false, false);
    }
}
