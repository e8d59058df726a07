package io.coherence.infrastructure.policy;

import static io.coherence.application.Jsons.JSON;

import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.policy.Decision;
import io.coherence.domain.policy.PolicyInput;
import io.coherence.domain.tenant.PolicyTags;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The policy input as the Rego policies read it, and their decision:
 * <pre>
 * {"user": {"subject": "…", "tenant": "…", "scope": ["coherence:read", …]},
 *  "action": "read" | "write" | "admin",
 *  "resource": {"tenantId": "…"},
 *  "tags": {"purpose": "…", "retention": "…", "license": "…", "residency": "US"},
 *  "deployment": {"region": "US"}}
 * → {"allow": true|false, "rule": "…"}
 * </pre>
 * {@code user.tenant} is absent when the token names no tenant; scopes are sorted.
 */
public final class PolicyInputJson {

    private PolicyInputJson() {
    }

    public static JsonObject toJson(PolicyInput input) {
        Caller caller = input.caller();
        JsonObjectBuilder user = JSON.createObjectBuilder().add("subject", caller.subject() == null ? "" : caller.subject());
        caller.tenant().ifPresent(t -> user.add("tenant", t));
        JsonArrayBuilder scopes = JSON.createArrayBuilder();
        new TreeSet<>(caller.scopes()).forEach(scopes::add);
        user.add("scope", scopes);
        PolicyTags tags = input.tags();
        return JSON.createObjectBuilder()
                .add("user", user)
                .add("action", input.action().policyName())
                .add("resource", JSON.createObjectBuilder().add("tenantId", input.tenantId()))
                .add("tags", JSON.createObjectBuilder().add("purpose", tags.purpose()).add("retention", tags.retention())
                        .add("license", tags.license()).add("residency", tags.residency()))
                .add("deployment", JSON.createObjectBuilder().add("region", input.region()))
                .build();
    }

    public static PolicyInput fromJson(JsonObject json) {
        JsonObject user = json.getJsonObject("user");
        Set<String> scopes = user.getJsonArray("scope").getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).collect(Collectors.toSet());
        Caller caller = new Caller(user.getString("subject", ""), Optional.ofNullable(user.getString("tenant", null)),
                scopes);
        JsonObject tags = json.getJsonObject("tags");
        return new PolicyInput(caller, Action.valueOf(json.getString("action").toUpperCase(Locale.ROOT)),
                json.getJsonObject("resource").getString("tenantId"),
                new PolicyTags(tags.getString("purpose"), tags.getString("retention"), tags.getString("license"),
                        tags.getString("residency")),
                json.getJsonObject("deployment").getString("region"));
    }

    /** A decision object; anything else (an undefined decision included) is a denial. */
    public static Decision decision(JsonObject result) {
        if (result == null || !result.containsKey("allow") || !result.containsKey("rule")) {
            return Decision.deny("opa_undefined_decision");
        }
        return new Decision(result.getBoolean("allow", false), result.getString("rule", "opa_undefined_decision"));
    }
}
