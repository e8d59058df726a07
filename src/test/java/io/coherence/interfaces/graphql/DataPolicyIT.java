package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Values;

/**
 * A tenant's data policy end to end: defaults, partial changes, the tags new signals carry, the
 * tier bounding ingest, the ledger entry of a change, and every refusal changing nothing.
 */
@TestServerIT
class DataPolicyIT {

    private static final List<String> ADMIN = List.of("coherence:admin");
    private static final String READ = "tenant-data-policy.graphql";
    private static final String SET = "set-tenant-data-policy.graphql";

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String reader;
    private String admin;

    @BeforeEach
    void freshTenant() {
        tenant = "it-policy-" + UUID.randomUUID();
        reader = api.token(tenant, CoherenceClient.READ_WRITE);
        admin = api.token(tenant, ADMIN);
    }

    @Test
    void aTenantThatNeverSetOneHasTheConfiguredDefaults() {
        JsonObject policy = policy(api.graphql(READ, Map.of("tenantId", tenant), reader));

        assertThat(policy.getString("tenantId")).isEqualTo(tenant);
        assertThat(policy.getString("retentionTier")).isEqualTo("STANDARD_365D");
        assertThat(policy.getString("purpose")).isEqualTo("benchmarking");
        assertThat(policy.getString("license")).isEqualTo("Restricted-TOS");
        assertThat(policy.getString("residency")).isEqualTo("US");
        assertThat(policy.getBoolean("legalHold")).isFalse();
        assertThat(policy.getString("updatedAt")).isEqualTo("1970-01-01T00:00:00Z");
    }

    @Test
    void aChangeSetsTheFieldsGivenAndKeepsTheOthers() {
        JsonObject changed = policy(set(Map.of("retentionTier", "SHORT_30D", "purpose", "fraud-detection")));

        assertThat(changed.getString("retentionTier")).isEqualTo("SHORT_30D");
        assertThat(changed.getString("purpose")).isEqualTo("fraud-detection");
        assertThat(changed.getString("license")).isEqualTo("Restricted-TOS");
        assertThat(Instant.parse(changed.getString("updatedAt"))).isAfter(Instant.now().minusSeconds(60));

        JsonObject held = policy(set(Map.of("legalHold", true)));
        assertThat(held.getBoolean("legalHold")).isTrue();
        assertThat(held.getString("retentionTier")).isEqualTo("SHORT_30D");
        assertThat(held.getString("purpose")).isEqualTo("fraud-detection");

        assertThat(policy(api.graphql(READ, Map.of("tenantId", tenant), reader))).isEqualTo(held);
        // Each change is in the tenant's provenance ledger, by version and digest.
        assertThat(ledgerSummaries()).containsExactly("policy v1 short-30d", "policy v2 short-30d legal-hold");
    }

    @Test
    void newSignalsCarryTheTenantsTagsAndItsTierBoundsTheirTs() {
        policy(set(Map.of("retentionTier", "EPHEMERAL_7D", "purpose", "capacity-planning", "license", "CC-BY-4.0")));

        String sixDays = Instant.now().minus(Duration.ofDays(6)).toString();
        String eightDays = Instant.now().minus(Duration.ofDays(8)).toString();
        assertThat(api.ingest(signal(sixDays), reader).statusCode()).isEqualTo(202);
        var refused = api.ingest(signal(eightDays), reader);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("TS_BEYOND_RETENTION").contains("ephemeral-7d");
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(api.signalProperty(tenant, "purpose")).isEqualTo("capacity-planning");
        assertThat(api.signalProperty(tenant, "retention")).isEqualTo("ephemeral-7d");
        assertThat(api.signalProperty(tenant, "license")).isEqualTo("CC-BY-4.0");
    }

    @Test
    void withoutATokenNothingIsReadOrChanged() {
        assertThat(code(api.graphql(READ, Map.of("tenantId", tenant), null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql(SET, Map.of("input", input(Map.of("purpose", "x"))), null))).isEqualTo("UNAUTHENTICATED");
        assertUnchanged();
    }

    @Test
    void changingNeedsTheAdminScopeOfTheSameTenant() {
        String other = "it-policy-other-" + UUID.randomUUID();

        assertThat(code(api.graphql(SET, Map.of("input", input(Map.of("purpose", "x"))), reader))).isEqualTo("FORBIDDEN");
        Map<String, Object> crossTenant = new HashMap<>(Map.of("tenantId", other, "purpose", "x"));
        assertThat(code(api.graphql(SET, Map.of("input", crossTenant), admin))).isEqualTo("FORBIDDEN");
        assertThat(code(api.graphql(READ, Map.of("tenantId", other), reader))).isEqualTo("FORBIDDEN");
        // Reading needs coherence:read; the admin scope alone does not include it.
        assertThat(code(api.graphql(READ, Map.of("tenantId", tenant), admin))).isEqualTo("FORBIDDEN");
        assertUnchanged();
        assertThat(policy(api.graphql(READ, Map.of("tenantId", other), api.token(other, CoherenceClient.READ_WRITE)))
                .getString("purpose")).isEqualTo("benchmarking");
    }

    @Test
    void badValuesAreRefusedByFieldAndChangeNothing() {
        assertThat(violation(set(Map.of("purpose", "fraud\u202Edetection")))).isEqualTo("input.purpose NOT_PRINTABLE");
        assertThat(violation(set(Map.of("license", "L".repeat(129))))).isEqualTo("input.license TOO_LONG");
        assertThat(violation(set(Map.of("purpose", "   ")))).isEqualTo("input.purpose REQUIRED");
        assertThat(violation(set(Map.of("residency", "EU")))).isEqualTo("input.residency RESIDENCY_MISMATCH");
        assertThat(violation(set(Map.of()))).isEqualTo(" NOTHING_TO_CHANGE");
        assertThat(code(set(Map.of("retentionTier", "FOREVER")))).isEqualTo("BAD_USER_INPUT");
        assertThat(code(set(Map.of("legalHold", "yes")))).isEqualTo("BAD_USER_INPUT");
        assertUnchanged();
        assertThat(ledgerSummaries()).isEmpty();
    }

    private JsonObject set(Map<String, Object> fields) {
        return api.graphql(SET, Map.of("input", input(fields)), admin);
    }

    private Map<String, Object> input(Map<String, Object> fields) {
        Map<String, Object> input = new HashMap<>(fields);
        input.put("tenantId", tenant);
        return input;
    }

    private String signal(String ts) {
        return "{\"tenantId\":\"%s\",\"type\":\"latency\",\"value\":0.8,\"source\":\"probe\",\"ts\":\"%s\"}".formatted(tenant, ts);
    }

    private void assertUnchanged() {
        JsonObject policy = policy(api.graphql(READ, Map.of("tenantId", tenant), reader));
        assertThat(policy.getString("updatedAt")).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(policy.getString("purpose")).isEqualTo("benchmarking");
    }

    private List<String> ledgerSummaries() {
        try (var session = EmbeddedEngines.shared().neo4jDriver().session()) {
            return session.run("MATCH (e:LedgerEntry {tenant_id: $t, action: 'POLICY'}) RETURN e.summary AS s ORDER BY e.sequence",
                    Values.parameters("t", tenant)).list(r -> r.get("s").asString());
        }
    }

    private static JsonObject policy(JsonObject answer) {
        assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
        JsonObject data = answer.getJsonObject("data");
        return data.containsKey("tenantDataPolicy") ? data.getJsonObject("tenantDataPolicy")
                : data.getJsonObject("setTenantDataPolicy");
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    private static String violation(JsonObject answer) {
        JsonObject extensions = answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions");
        assertThat(extensions.getString("code")).isEqualTo("BAD_USER_INPUT");
        JsonObject v = extensions.getJsonArray("violations").getJsonObject(0);
        return v.getString("field") + " " + v.getString("code");
    }
}
