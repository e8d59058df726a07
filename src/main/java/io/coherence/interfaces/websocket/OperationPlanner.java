package io.coherence.interfaces.websocket;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphQLException;
import graphql.execution.RawVariables;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;
import graphql.validation.Validator;
import io.coherence.application.events.EventKind;
import io.coherence.interfaces.graphql.ApiSchema;
import io.coherence.interfaces.graphql.GraphQLLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a subscribe payload into a plan with graphql-java: parse, validate against the schema,
 * check the limits /graphql applies, pick the operation, coerce the variables, and resolve
 * fragments, aliases and @skip/@include into
 * the list of fields each event must carry. Introspection queries are answered at once; other
 * queries and mutations belong to /graphql.
 */
final class OperationPlanner {

    private static final Map<String, EventKind> ROOTS = Map.of(
            "coherenceEvents", EventKind.SIGNALS,
            "coherenceScoreChanged", EventKind.SCORES);

    private final GraphQLSchema schema;
    private final GraphQLLimits limits;
    private final GraphQL introspection;

    OperationPlanner(GraphQLSchema schema, GraphQLLimits limits) {
        this.schema = schema;
        this.limits = limits;
        this.introspection = GraphQL.newGraphQL(schema).build();
    }

    Planned plan(String query, Map<String, Object> variables, String operationName) {
        Optional<GraphQLLimits.Refusal> tooLarge = limits.checkSize(query);
        if (tooLarge.isPresent()) {
            return reject(tooLarge.get().message(), null, tooLarge.get().code());
        }
        Document document;
        try {
            document = Parser.parse(query);
        } catch (InvalidSyntaxException e) {
            return reject(e.getMessage(), e.getLocation(), "GRAPHQL_PARSE_FAILED");
        }
        Optional<GraphQLLimits.Refusal> overLimit = limits.check(document, operationName);
        if (overLimit.isPresent()) {
            return reject(overLimit.get().message(), null, overLimit.get().code());
        }
        List<ValidationError> invalid = new Validator().validateDocument(schema, document, Locale.ENGLISH);
        if (!invalid.isEmpty()) {
            List<Map<String, Object>> errors = new ArrayList<>();
            invalid.forEach(e -> errors.add(error(e.getMessage(), e.getLocations(), "GRAPHQL_VALIDATION_FAILED")));
            return new Planned.Rejection(errors);
        }
        OperationDefinition operation = ApiSchema.selectedOperation(document, operationName);
        if (operation == null) {
            return reject(operationName == null
                    ? "the document holds several operations; name one in operationName"
                    : "the document holds no operation named " + operationName, null, "GRAPHQL_VALIDATION_FAILED");
        }
        if (operation.getOperation() != OperationDefinition.Operation.SUBSCRIPTION) {
            if (ApiSchema.onlyIntrospection(operation)) {
                return new Planned.ImmediateResult(introspection.execute(ExecutionInput.newExecutionInput()
                        .query(query).operationName(operationName).variables(variables).build()).toSpecification());
            }
            return reject("this endpoint serves subscriptions; send queries and mutations to /graphql",
                    operation.getSourceLocation(), "OPERATION_NOT_SUPPORTED");
        }
        try {
            ExecutableNormalizedOperation normalized = ExecutableNormalizedOperationFactory
                    .createExecutableNormalizedOperationWithRawVariables(schema, document, operationName,
                            RawVariables.of(variables));
            ExecutableNormalizedField root = normalized.getTopLevelFields().get(0);
            List<Planned.Field> fields = new ArrayList<>();
            for (ExecutableNormalizedField child : root.getChildren()) {
                fields.add(new Planned.Field(child.getResultKey(), child.getName()));
            }
            return new Planned.Subscription(ROOTS.get(root.getName()),
                    String.valueOf(root.getResolvedArguments().get("tenantId")), root.getResultKey(), List.copyOf(fields));
        } catch (GraphQLException e) {
            return reject(e instanceof GraphQLError g ? g.getMessage() : e.getMessage(), null, "BAD_USER_INPUT");
        }
    }

    private static Planned reject(String message, SourceLocation location, String code) {
        return new Planned.Rejection(List.of(error(message, location == null ? List.of() : List.of(location), code)));
    }

    static Map<String, Object> error(String message, List<SourceLocation> locations, String code) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        if (locations != null && !locations.isEmpty()) {
            List<Map<String, Object>> where = new ArrayList<>();
            for (SourceLocation l : locations) {
                where.add(Map.of("line", l.getLine(), "column", l.getColumn()));
            }
            error.put("locations", where);
        }
        error.put("extensions", Map.of("code", code));
        return error;
    }
}
