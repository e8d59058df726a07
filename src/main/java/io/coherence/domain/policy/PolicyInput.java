package io.coherence.domain.policy;

import java.util.Objects;

/** One question to the policy decision point: may this caller do this action on this tenant? */
public record PolicyInput(Caller caller, Action action, String tenantId) {

    public PolicyInput {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(tenantId, "tenantId");
    }
}
