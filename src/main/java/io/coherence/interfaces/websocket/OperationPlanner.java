package io.coherence.interfaces.websocket;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphQLException;
import graphql.execution.RawVariables;
import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.normalized.ExecutableNormalizedOperationFactory;
import graphql.schema.GraphQLSchema;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.events.EventKind;
import io.coherence.application.subscriptions.ScoreThreshold;
import io.coherence.interfaces.ErrorDocuments;
import io.coherence.interfaces.graphql.GraphQLRequest;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a subscribe request, read and checked by the GraphQL edge ({@link GraphQLRequest}: parsed
 * once, held to the limits /graphql applies, validated against the schema), into a plan: coerce
 * the variables, and resolve fragments, aliases and @skip/@include into the list of fields each
 * event must carry. Introspection queries are answered at once; other queries and mutations
 * belong to /graphql.
 */
final class OperationPlanner {

    private static final Map<String, EventKind> ROOTS = Map.of(
            "coherenceEvents", EventKind.SIGNALS,
            "coherenceScoreChanged", EventKind.SCORES);

    private final GraphQLSchema schema;
    private final GraphQL introspection;

    OperationPlanner(GraphQLSchema schema) {
        this.schema = schema;
        this.introspection = GraphQL.newGraphQL(schema).build();
    }

    /** {@code coherenceScoreChanged}'s optional {@code crossing} and {@code statusChange} (absent or null: every change). */
    private static ScoreThreshold threshold(Map<String, Object> arguments) {
        Object crossing = arguments.get("crossing");
        return new ScoreThreshold(crossing == null ? null : ((Number) crossing).doubleValue(),
                Boolean.TRUE.equals(arguments.get("statusChange")));
    }

    /** {@code coherenceEvents}' optional {@code after}: a sequence number, 0 or more (absent or null: live only). */
    private static Long after(Map<String, Object> arguments) {
        Object after = arguments.get("after");
        if (after == null) {
            return null;
        }
        BigInteger value = after instanceof BigInteger b ? b : new BigInteger(after.toString());
        if (value.signum() < 0 || value.bitLength() > 63) {
            throw new BadArgument("after", "after must be a sequence number from 0 to " + Long.MAX_VALUE + ", not " + value);
        }
        return value.longValue();
    }

    /** An argument the schema's type allows but its meaning does not. */
    private static final class BadArgument extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final String field;

        BadArgument(String field, String message) {
            super(message);
            this.field = field;
        }
    }

    /** @param request a request the edge did not refuse */
    Planned plan(GraphQLRequest request, Map<String, Object> variables) {
        String operationName = request.operationName();
        OperationDefinition operation = request.document().operation(operationName);
        if (operation.getOperation() != OperationDefinition.Operation.SUBSCRIPTION) {
            if (request.introspectionOnly()) {
                return new Planned.ImmediateResult(introspection.execute(ExecutionInput.newExecutionInput()
                        .query(request.document().text()).operationName(operationName).variables(variables).build())
                        .toSpecification());
            }
            var at = operation.getSourceLocation();
            return new Planned.Rejection(List.of(ErrorDocuments.graphql(ErrorCode.OPERATION_NOT_SUPPORTED,
                    "this endpoint serves subscriptions; send queries and mutations to /graphql", List.of(),
                    at == null ? List.of() : List.of(new ErrorDocuments.Location(at.getLine(), at.getColumn())))));
        }
        try {
            ExecutableNormalizedOperation normalized = ExecutableNormalizedOperationFactory
                    .createExecutableNormalizedOperationWithRawVariables(schema, request.document().document(),
                            operationName, RawVariables.of(variables));
            ExecutableNormalizedField root = normalized.getTopLevelFields().get(0);
            List<Planned.Field> fields = new ArrayList<>();
            for (ExecutableNormalizedField child : root.getChildren()) {
                fields.add(new Planned.Field(child.getResultKey(), child.getName()));
            }
            Map<String, Object> arguments = root.getResolvedArguments();
            return new Planned.Subscription(ROOTS.get(root.getName()), String.valueOf(arguments.get("tenantId")),
                    root.getResultKey(), List.copyOf(fields), threshold(arguments), after(arguments));
        } catch (BadArgument e) {
            String code = "OUT_OF_RANGE";
            return new Planned.Rejection(List.of(ErrorDocuments.graphql(ErrorCode.BAD_USER_INPUT, e.getMessage(),
                    List.of(new Violation(null, e.field, code, e.getMessage())), List.of())));
        } catch (IllegalArgumentException e) {
            return new Planned.Rejection(List.of(ErrorDocuments.graphql(ErrorCode.BAD_USER_INPUT, e.getMessage(),
                    List.of(new Violation(null, "crossing", "OUT_OF_RANGE", e.getMessage())), List.of())));
        } catch (GraphQLException e) {
            return new Planned.Rejection(List.of(ErrorDocuments.graphql(ErrorCode.BAD_USER_INPUT,
                    e instanceof GraphQLError g ? g.getMessage() : e.getMessage())));
        }
    }
}
