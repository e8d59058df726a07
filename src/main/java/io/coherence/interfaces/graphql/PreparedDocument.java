package io.coherence.interfaces.graphql;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.coherence.application.ErrorCode;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.ErrorDocuments.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A GraphQL document read once: its size checked, parsed, and (per operation name) held to the
 * {@link GraphQLLimits} and validated against the whole API schema, in that order. Every request
 * that sends the same text reuses it ({@link PreparedDocuments}), the persisted queries from the
 * start ({@link PersistedQueryCatalog}), over HTTP and WebSocket alike; what is decided here is
 * never decided again for that text.
 */
public final class PreparedDocument {

    /** Why the document cannot run: one code, and one GraphQL error per problem found. */
    public record Refusal(ErrorCode code, List<Problem> problems) {

        static Refusal of(ErrorCode code, String message, List<Location> locations) {
            return new Refusal(code, List.of(new Problem(message, locations)));
        }

        /** The GraphQL errors that say it. */
        public List<jakarta.json.JsonObject> errors() {
            return problems.stream().map(p -> ErrorDocuments.graphql(code, p.message(), List.of(), p.locations())).toList();
        }

        /** The first problem's message (the operation log, HTTP refusals of one error). */
        public String message() {
            return problems.get(0).message();
        }
    }

    /** One problem with a document, where it is. */
    public record Problem(String message, List<Location> locations) {
    }

    private static final String NO_NAME = "";

    private final String text;
    private final Document document;
    private final Refusal unreadable;
    private final GraphQLSchema schema;
    private final GraphQLLimits limits;
    private final Map<String, Optional<Refusal>> verdicts = new ConcurrentHashMap<>();
    private volatile Optional<Refusal> validation;

    private PreparedDocument(String text, Document document, Refusal unreadable, GraphQLSchema schema, GraphQLLimits limits) {
        this.text = text;
        this.document = document;
        this.unreadable = unreadable;
        this.schema = schema;
        this.limits = limits;
    }

    /** Checks the size first, so an oversized document is never parsed. */
    static PreparedDocument prepare(String text, GraphQLSchema schema, GraphQLLimits limits) {
        Optional<GraphQLLimits.Refusal> tooLarge = limits.checkSize(text);
        if (tooLarge.isPresent()) {
            return new PreparedDocument(text, null, Refusal.of(tooLarge.get().code(), tooLarge.get().message(), List.of()),
                    schema, limits);
        }
        try {
            return new PreparedDocument(text, Parser.parse(text), null, schema, limits);
        } catch (InvalidSyntaxException e) {
            return new PreparedDocument(text, null, Refusal.of(ErrorCode.GRAPHQL_PARSE_FAILED, e.getMessage(),
                    locations(e.getLocation() == null ? List.of() : List.of(e.getLocation()))), schema, limits);
        }
    }

    public String text() {
        return text;
    }

    /** The parsed document; null when it did not parse or was too large to try. */
    public Document document() {
        return document;
    }

    /**
     * Why the operation named {@code operationName} (null: the only one) cannot run, or empty: the
     * size, the syntax, the limits, the schema, and that the name picks exactly one operation.
     */
    public Optional<Refusal> refusal(String operationName) {
        if (unreadable != null) {
            return Optional.of(unreadable);
        }
        if (operationName != null && operation(operationName) == null) {
            // A name the document does not hold is not remembered: callers choose names freely.
            return verdict(operationName);
        }
        return verdicts.computeIfAbsent(operationName == null ? NO_NAME : operationName, name -> verdict(operationName));
    }

    private Optional<Refusal> verdict(String operationName) {
        Optional<GraphQLLimits.Refusal> overLimit = limits.check(document, operationName);
        if (overLimit.isPresent()) {
            return Optional.of(Refusal.of(overLimit.get().code(), overLimit.get().message(), List.of()));
        }
        Optional<Refusal> invalid = validation();
        if (invalid.isPresent()) {
            return invalid;
        }
        if (ApiSchema.selectedOperation(document, operationName) == null) {
            return Optional.of(Refusal.of(ErrorCode.GRAPHQL_VALIDATION_FAILED, operationName == null
                    ? "the document holds several operations; name one in operationName"
                    : "the document holds no operation named " + operationName, List.of()));
        }
        return Optional.empty();
    }

    private Optional<Refusal> validation() {
        Optional<Refusal> v = validation;
        if (v == null) {
            List<ValidationError> errors = new Validator().validateDocument(schema, document, Locale.ENGLISH);
            List<Problem> problems = new ArrayList<>();
            errors.forEach(e -> problems.add(new Problem(e.getMessage(), locations(e.getLocations()))));
            v = problems.isEmpty() ? Optional.empty()
                    : Optional.of(new Refusal(ErrorCode.GRAPHQL_VALIDATION_FAILED, List.copyOf(problems)));
            validation = v;
        }
        return v;
    }

    /** The operation {@code operationName} picks; null when the document has none it picks. */
    public OperationDefinition operation(String operationName) {
        return document == null ? null : ApiSchema.selectedOperation(document, operationName);
    }

    /** query, mutation or subscription; unknown when no operation is picked. */
    public String operationType(String operationName) {
        OperationDefinition operation = operation(operationName);
        return operation == null ? "unknown" : operation.getOperation().name().toLowerCase(Locale.ROOT);
    }

    /** The picked operation asks only for {@code __schema}/{@code __type}. */
    public boolean introspectionOnly(String operationName) {
        OperationDefinition operation = operation(operationName);
        return operation != null && ApiSchema.onlyIntrospection(operation);
    }

    private static List<Location> locations(List<SourceLocation> where) {
        if (where == null) {
            return List.of();
        }
        return where.stream().filter(l -> l != null).map(l -> new Location(l.getLine(), l.getColumn())).toList();
    }
}
