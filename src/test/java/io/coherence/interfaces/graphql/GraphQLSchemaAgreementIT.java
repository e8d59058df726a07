package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.language.AstPrinter;
import graphql.language.FieldDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * One API: the schema MicroProfile GraphQL generates for /graphql and the SDL the subscription
 * endpoint is built from (src/main/resources/graphql/schema.graphqls) declare the same query,
 * mutation, score type and input, field by field and argument by argument.
 */
@TestServerIT
class GraphQLSchemaAgreementIT {

    private final CoherenceClient api = CoherenceClient.forTestServer();

    @Test
    void httpAndWebSocketServeTheSameTypes() throws IOException {
        TypeDefinitionRegistry served = new SchemaParser().parse(api.get("/graphql/schema.graphql").body());
        TypeDefinitionRegistry declared;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("graphql/schema.graphqls")) {
            declared = new SchemaParser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        for (String type : new String[] {"Query", "Mutation", "CoherenceScore"}) {
            assertThat(fields(served, type)).as(type).isEqualTo(fields(declared, type)).isNotEmpty();
        }
        assertThat(inputFields(served, "PublishCoherenceSignalInput"))
                .isEqualTo(inputFields(declared, "PublishCoherenceSignalInput")).hasSize(6);
        assertThat(declared.getType("Subscription")).isPresent();
    }

    @Test
    void introspectionAtGraphqlShowsTheSubscriptionsToo() {
        JsonObject answer = api.graphql("introspect-subscriptions.graphql", Map.of(), null);

        assertThat(answer.getJsonObject("data").getJsonObject("__schema").getJsonObject("subscriptionType")
                .getJsonArray("fields").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("name")).containsExactly("coherenceEvents", "coherenceScoreChanged");
    }

    @Test
    void theFullIntrospectionQueryGraphiQLSendsDescribesEveryRootType() {
        JsonObject answer = api.graphql("introspection-full.graphql", Map.of(), null);

        JsonObject schema = answer.getJsonObject("data").getJsonObject("__schema");
        assertThat(schema.getJsonObject("queryType").getString("name")).isEqualTo("Query");
        assertThat(schema.getJsonObject("mutationType").getString("name")).isEqualTo("Mutation");
        assertThat(schema.getJsonObject("subscriptionType").getString("name")).isEqualTo("Subscription");
        assertThat(schema.getJsonArray("types").getValuesAs(JsonObject.class)).extracting(t -> t.getString("name"))
                .contains("Signal", "CoherenceScore", "PublishCoherenceSignalInput", "DateTime");
    }

    /** field → "(arg: Type, ...): Type", ignoring order and descriptions. */
    private static Map<String, String> fields(TypeDefinitionRegistry registry, String type) {
        ObjectTypeDefinition definition = registry.getType(type, ObjectTypeDefinition.class).orElseThrow();
        Map<String, String> fields = new TreeMap<>();
        for (FieldDefinition f : definition.getFieldDefinitions()) {
            StringBuilder signature = new StringBuilder("(");
            f.getInputValueDefinitions().stream().sorted((a, b) -> a.getName().compareTo(b.getName()))
                    .forEach(a -> signature.append(a.getName()).append(": ").append(AstPrinter.printAst(a.getType())).append(' '));
            fields.put(f.getName(), signature.append("): ").append(AstPrinter.printAst(f.getType())).toString());
        }
        return fields;
    }

    private static Map<String, String> inputFields(TypeDefinitionRegistry registry, String type) {
        InputObjectTypeDefinition definition = registry.getType(type, InputObjectTypeDefinition.class).orElseThrow();
        Map<String, String> fields = new TreeMap<>();
        for (InputValueDefinition f : definition.getInputValueDefinitions()) {
            fields.put(f.getName(), AstPrinter.printAst(f.getType()));
        }
        return fields;
    }
}
