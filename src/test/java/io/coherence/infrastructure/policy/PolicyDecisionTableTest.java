package io.coherence.infrastructure.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyInput;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The embedded engine against the shared decision table (the Rego tests read the same file). Every
 * row's decision also goes to {@code target/policy/decision-table-report.json}, the evidence
 * bundle's policy report, mismatches included.
 */
class PolicyDecisionTableTest {

    static final Path REPORT = Path.of(System.getProperty("basedir", ".")).resolve("target/policy/decision-table-report.json");
    private static final ConcurrentLinkedQueue<JsonObject> RESULTS = new ConcurrentLinkedQueue<>();

    private final EmbeddedPolicyDecisionPoint embedded = new EmbeddedPolicyDecisionPoint();

    @AfterAll
    static void writeReport() throws IOException {
        long matched = RESULTS.stream().filter(r -> r.getBoolean("match")).count();
        JsonObject report = Json.createObjectBuilder()
                .add("engine", "embedded")
                .add("table", "opa/testdata/decisions.json")
                .add("rows", RESULTS.size())
                .add("matched", matched)
                .add("results", Json.createArrayBuilder(List.copyOf(RESULTS)))
                .build();
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report.toString());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> table() {
        return DecisionTable.arguments();
    }

    @Test
    void theTableCoversEveryRuleWithAtLeastThirtyRows() {
        assertThat(DecisionTable.rows()).hasSizeGreaterThanOrEqualTo(30);
        assertThat(DecisionTable.rows()).extracting(r -> r.getJsonObject("expect").getString("rule"))
                .contains("graphql.allow", "graphql.allow_write", "graphql.allow_admin", "token_without_tenant",
                        "cross_tenant", "missing_scope_coherence:read", "missing_scope_coherence:write",
                        "missing_scope_coherence:admin", "residency_mismatch");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void theEmbeddedEngineDecidesAsTheTableSays(String name, JsonObject input, JsonObject expect) {
        PolicyInput question = PolicyInputJson.fromJson(input);

        Decision decision = embedded.decide(question);
        boolean match = decision.equals(new Decision(expect.getBoolean("allow"), expect.getString("rule")));
        RESULTS.add(Json.createObjectBuilder().add("name", name).add("expect", expect)
                .add("actual", Json.createObjectBuilder().add("allow", decision.allowed()).add("rule", decision.rule()))
                .add("match", match).build());

        assertThat(decision).isEqualTo(new Decision(expect.getBoolean("allow"), expect.getString("rule")));
        assertThat(PolicyInputJson.toJson(question)).as("the input survives the round trip to OPA's form")
                .isEqualTo(input);
    }
}
