package io.coherence.domain.policy;

import io.coherence.domain.tenant.PolicyTags;
import java.util.Objects;

/**
 * One question to the policy decision point: may this caller do this action on this tenant's
 * data, which carries these policy tags, in a deployment in this region?
 */
public record PolicyInput(Caller caller, Action action, String tenantId, PolicyTags tags, String region) {

    public PolicyInput {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(tags, "tags");
        Objects.requireNonNull(region, "region");
    }
}
