package io.coherence.domain.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.coherence.domain.tenant.PolicyTags;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rules' decisions are held to opa/testdata/decisions.json (PolicyDecisionTableTest, shared
 * with the Rego tests); this covers what the table cannot express.
 */
class AuthzRulesTest {

    private static final PolicyTags US = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private final AuthzRules rules = new AuthzRules();

    @Test
    void eachActionNamesTheScopeThatPermitsItAndItsPolicyName() {
        assertThat(Action.READ.scope()).isEqualTo("coherence:read");
        assertThat(Action.WRITE.scope()).isEqualTo("coherence:write");
        assertThat(Action.ADMIN.scope()).isEqualTo("coherence:admin");
        assertThat(Action.ADMIN.policyName()).isEqualTo("admin");
    }

    @Test
    void aCallerWithoutTenantOrScopesIsNormalised() {
        Caller caller = new Caller("subject-1", null, null);

        assertThat(caller.tenant()).isEmpty();
        assertThat(caller.scopes()).isEmpty();
        assertThat(rules.decide(new PolicyInput(caller, Action.READ, "tenant-a", US, "US")))
                .isEqualTo(Decision.deny("token_without_tenant"));
    }

    @Test
    void aQuestionNeedsEveryPart() {
        Caller caller = new Caller("subject-1", Optional.of("tenant-a"), Set.of("coherence:read"));

        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(null, Action.READ, "tenant-a", US, "US"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, null, "tenant-a", US, "US"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, Action.READ, null, US, "US"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, Action.READ, "tenant-a", null, "US"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, Action.READ, "tenant-a", US, null));
    }
}
