package io.coherence.domain.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TenantScopeRulesTest {

    private static final String READ = "coherence:read";
    private static final String WRITE = "coherence:write";

    private final TenantScopeRules rules = new TenantScopeRules();

    private static Caller caller(String tenant, String... scopes) {
        return new Caller("subject-1", Optional.ofNullable(tenant), Set.of(scopes));
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // caller, action, tenant asked for, allowed, rule
                arguments(caller("tenant-a", READ), Action.READ, "tenant-a", true, "graphql.allow"),
                arguments(caller("tenant-a", READ, WRITE), Action.READ, "tenant-a", true, "graphql.allow"),
                arguments(caller("tenant-a"), Action.READ, "tenant-a", false, "missing_scope_coherence:read"),
                arguments(caller("tenant-a", WRITE), Action.READ, "tenant-a", false, "missing_scope_coherence:read"),
                arguments(caller("tenant-a", "coherence:admin"), Action.READ, "tenant-a", false, "missing_scope_coherence:read"),
                arguments(caller("tenant-a", READ), Action.READ, "tenant-b", false, "cross_tenant"),
                arguments(caller("tenant-a", READ), Action.READ, "Tenant-A", false, "cross_tenant"),
                arguments(caller("tenant-a", READ, WRITE), Action.WRITE, "tenant-b", false, "cross_tenant"),
                arguments(caller(null, READ), Action.READ, "tenant-a", false, "token_without_tenant"),
                arguments(caller(null, READ, WRITE), Action.WRITE, "tenant-a", false, "token_without_tenant"),
                arguments(caller("tenant-a", WRITE), Action.WRITE, "tenant-a", true, "graphql.allow_write"),
                arguments(caller("tenant-a", READ, WRITE), Action.WRITE, "tenant-a", true, "graphql.allow_write"),
                arguments(caller("tenant-a", READ), Action.WRITE, "tenant-a", false, "missing_scope_coherence:write"),
                arguments(caller("tenant-a"), Action.WRITE, "tenant-a", false, "missing_scope_coherence:write"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3} by {4}")
    @MethodSource("table")
    void decides(Caller caller, Action action, String tenant, boolean allowed, String rule) {
        Decision decision = rules.decide(new PolicyInput(caller, action, tenant));

        assertThat(decision.allowed()).isEqualTo(allowed);
        assertThat(decision.rule()).isEqualTo(rule);
    }

    @Test
    void eachActionNamesTheScopeThatPermitsIt() {
        assertThat(Action.READ.scope()).isEqualTo(READ);
        assertThat(Action.WRITE.scope()).isEqualTo(WRITE);
    }

    @Test
    void aCallerWithoutTenantOrScopesIsNormalised() {
        Caller caller = new Caller("subject-1", null, null);

        assertThat(caller.tenant()).isEmpty();
        assertThat(caller.scopes()).isEmpty();
        assertThat(rules.decide(new PolicyInput(caller, Action.READ, "tenant-a")))
                .isEqualTo(Decision.deny("token_without_tenant"));
    }

    @Test
    void aQuestionNeedsCallerActionAndTenant() {
        Caller caller = caller("tenant-a", READ);

        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(null, Action.READ, "tenant-a"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, null, "tenant-a"));
        assertThatNullPointerException().isThrownBy(() -> new PolicyInput(caller, Action.READ, null));
    }
}
