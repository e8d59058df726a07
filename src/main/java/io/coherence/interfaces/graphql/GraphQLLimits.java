package io.coherence.interfaces.graphql;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.coherence.application.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Limits on a GraphQL document, checked before anything runs it: its size, how many operations it
 * holds, and for the operation to run its depth, its field count (fragments expanded) and its
 * aliases. Introspection-only operations are exempt from depth and field limits (their shape is
 * bounded by the schema). Fragments are measured once each, so a fragment bomb costs linear time.
 */
public final class GraphQLLimits {

    /** A refused document: the error code and a message naming the limit. */
    public record Refusal(ErrorCode code, String message) {
    }

    private final int maxDocumentBytes;
    private final int maxOperations;
    private final int maxDepth;
    private final int maxFields;
    private final int maxAliases;

    public GraphQLLimits(int maxDocumentBytes, int maxOperations, int maxDepth, int maxFields, int maxAliases) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxOperations = maxOperations;
        this.maxDepth = maxDepth;
        this.maxFields = maxFields;
        this.maxAliases = maxAliases;
    }

    /** The limits configured by the COHERENCE_GRAPHQL_MAX_* keys. */
    public static GraphQLLimits fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new GraphQLLimits(config.getValue("COHERENCE_GRAPHQL_MAX_DOCUMENT_BYTES", Integer.class),
                config.getValue("COHERENCE_GRAPHQL_MAX_OPERATIONS", Integer.class),
                config.getValue("COHERENCE_GRAPHQL_MAX_DEPTH", Integer.class),
                config.getValue("COHERENCE_GRAPHQL_MAX_FIELDS", Integer.class),
                config.getValue("COHERENCE_GRAPHQL_MAX_ALIASES", Integer.class));
    }

    /** Before parsing: a document over the size limit is not parsed at all. */
    public Optional<Refusal> checkSize(String document) {
        int bytes = document.length() > maxDocumentBytes ? document.getBytes(StandardCharsets.UTF_8).length : 0;
        if (bytes > maxDocumentBytes) {
            return Optional.of(new Refusal(ErrorCode.DOCUMENT_TOO_LARGE,
                    "the document has " + bytes + " bytes; at most " + maxDocumentBytes + " are accepted"));
        }
        return Optional.empty();
    }

    public Optional<Refusal> check(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operations.size() > maxOperations) {
            return Optional.of(new Refusal(ErrorCode.TOO_MANY_OPERATIONS, "the document holds " + operations.size()
                    + " operations; at most " + maxOperations + " are accepted"));
        }
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        document.getDefinitionsOfType(FragmentDefinition.class).forEach(f -> fragments.put(f.getName(), f));
        Measure measure = new Measure(fragments);
        for (OperationDefinition operation : operations) {
            if (operationName != null && !operationName.equals(operation.getName())) {
                continue;
            }
            if (ApiSchema.onlyIntrospection(operation)) {
                continue;
            }
            Shape shape = measure.of(operation.getSelectionSet());
            if (shape.depth() > maxDepth) {
                return Optional.of(new Refusal(ErrorCode.QUERY_TOO_DEEP,
                        "the operation is " + shape.depth() + " levels deep; at most " + maxDepth + " are accepted"));
            }
            if (shape.fields() > maxFields) {
                return Optional.of(new Refusal(ErrorCode.QUERY_TOO_COMPLEX, "the operation selects " + shape.fields()
                        + " fields (fragments expanded); at most " + maxFields + " are accepted"));
            }
            if (shape.aliases() > maxAliases) {
                return Optional.of(new Refusal(ErrorCode.TOO_MANY_ALIASES, "the operation uses " + shape.aliases()
                        + " aliases; at most " + maxAliases + " are accepted"));
            }
        }
        return Optional.empty();
    }

    private record Shape(int depth, long fields, long aliases) {
        Shape plus(Shape other) {
            return new Shape(Math.max(depth, other.depth), fields + other.fields, aliases + other.aliases);
        }
    }

    /** Measures selection sets, each fragment once (a fragment reached again reuses its shape). */
    private static final class Measure {

        private static final Shape CYCLE = new Shape(0, 0, 0);
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Shape> measured = new HashMap<>();

        Measure(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        Shape of(SelectionSet set) {
            Shape shape = new Shape(0, 0, 0);
            if (set == null) {
                return shape;
            }
            for (Selection<?> selection : set.getSelections()) {
                if (selection instanceof Field field) {
                    Shape below = of(field.getSelectionSet());
                    shape = shape.plus(new Shape(below.depth() + 1, below.fields() + 1,
                            below.aliases() + (field.getAlias() != null ? 1 : 0)));
                } else if (selection instanceof InlineFragment inline) {
                    shape = shape.plus(of(inline.getSelectionSet()));
                } else if (selection instanceof FragmentSpread spread) {
                    shape = shape.plus(fragment(spread.getName()));
                }
            }
            return shape;
        }

        private Shape fragment(String name) {
            Shape known = measured.get(name);
            if (known != null) {
                return known;
            }
            FragmentDefinition definition = fragments.get(name);
            if (definition == null) {
                return new Shape(0, 0, 0);
            }
            // A cycle is a validation error; until validation reports it, count it as nothing.
            measured.put(name, CYCLE);
            Shape shape = of(definition.getSelectionSet());
            measured.put(name, shape);
            return shape;
        }
    }
}
