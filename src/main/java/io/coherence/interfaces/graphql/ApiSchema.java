package io.coherence.interfaces.graphql;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * The whole API's schema, built from {@code graphql/schema.graphqls}: the subscription endpoint
 * validates documents with it, and introspection (over HTTP and WebSocket) answers from it, so
 * tools see the query, the mutation and the subscriptions as one API. It has no data fetchers:
 * queries and mutations run in MicroProfile GraphQL at /graphql, and subscription events are
 * rendered from their selections.
 */
public final class ApiSchema {

    public static final String RESOURCE = "graphql/schema.graphqls";

    private ApiSchema() {
    }

    private static volatile GraphQLSchema loaded;

    /** The schema, loaded once. */
    public static GraphQLSchema get() {
        GraphQLSchema schema = loaded;
        if (schema == null) {
            schema = load();
            loaded = schema;
        }
        return schema;
    }

    /**
     * The operation a request runs: the one named {@code operationName}, or without a name the
     * document's only operation; null when there is no such operation.
     */
    public static OperationDefinition selectedOperation(Document document, String operationName) {
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        if (operationName == null) {
            return operations.size() == 1 ? operations.get(0) : null;
        }
        return operations.stream().filter(o -> operationName.equals(o.getName())).findFirst().orElse(null);
    }

    /** Whether every root field of the operation is an introspection field ({@code __schema}, {@code __type}, …). */
    public static boolean onlyIntrospection(OperationDefinition operation) {
        if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
            return false;
        }
        for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
            if (!(selection instanceof Field f) || !f.getName().startsWith("__")) {
                return false;
            }
        }
        return true;
    }

    /** Whether the document asks introspection only (a document that does not parse does not). */
    public static boolean mightBeIntrospection(String document) {
        if (!document.contains("__schema") && !document.contains("__type")) {
            return false;
        }
        try {
            List<OperationDefinition> operations = Parser.parse(document).getDefinitionsOfType(OperationDefinition.class);
            return !operations.isEmpty() && operations.stream().allMatch(ApiSchema::onlyIntrospection);
        } catch (InvalidSyntaxException e) {
            return false;
        }
    }

    private static GraphQLSchema load() {
        try (InputStream in = ApiSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the application");
            }
            var registry = new SchemaParser().parse(new InputStreamReader(in, StandardCharsets.UTF_8));
            RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
                    .scalar(scalar("DateTime", new DateTimeCoercing()))
                    .scalar(scalar("BigInteger", new BigIntegerCoercing()))
                    .build();
            return new SchemaGenerator().makeExecutableSchema(registry, wiring);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GraphQLScalarType scalar(String name, Coercing<?, ?> coercing) {
        return GraphQLScalarType.newScalar().name(name).coercing(coercing).build();
    }

    private static final class DateTimeCoercing implements Coercing<Instant, String> {
        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof Instant i) {
                return i.toString();
            }
            throw new CoercingSerializeException("not an instant: " + value);
        }

        @Override
        public Instant parseValue(Object input, GraphQLContext context, Locale locale) {
            try {
                return Instant.parse(String.valueOf(input));
            } catch (DateTimeParseException e) {
                throw new CoercingParseValueException("DateTime must be an ISO-8601 instant: " + input);
            }
        }

        @Override
        public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                    Locale locale) {
            if (input instanceof StringValue s) {
                return parseValue(s.getValue(), context, locale);
            }
            throw new CoercingParseLiteralException("DateTime must be a string");
        }
    }

    private static final class BigIntegerCoercing implements Coercing<BigInteger, BigInteger> {
        @Override
        public BigInteger serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof Number n) {
                return BigInteger.valueOf(n.longValue());
            }
            throw new CoercingSerializeException("not an integer: " + value);
        }

        @Override
        public BigInteger parseValue(Object input, GraphQLContext context, Locale locale) {
            try {
                return new BigInteger(String.valueOf(input));
            } catch (NumberFormatException e) {
                throw new CoercingParseValueException("BigInteger must be an integer: " + input);
            }
        }

        @Override
        public BigInteger parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                       Locale locale) {
            if (input instanceof IntValue i) {
                return i.getValue();
            }
            throw new CoercingParseLiteralException("BigInteger must be an integer literal");
        }

        /** A variable's value as a literal: graphql-java needs it to normalize an operation with variables. */
        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return new IntValue(parseValue(input, context, locale));
        }
    }
}
