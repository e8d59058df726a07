package io.coherence.infrastructure.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyInput;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The embedded engine against the shared decision table (the Rego tests read the same file). */
class PolicyDecisionTableTest {

    private final EmbeddedPolicyDecisionPoint embedded = new EmbeddedPolicyDecisionPoint();

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

        assertThat(decision).isEqualTo(new Decision(expect.getBoolean("allow"), expect.getString("rule")));
        assertThat(PolicyInputJson.toJson(question)).as("the input survives the round trip to OPA's form")
                .isEqualTo(input);
    }
}
