package io.coherence.domain.policy;

import java.util.Locale;

/** What a caller wants to do to a tenant's data, and the scope that permits it. */
public enum Action {
    READ("coherence:read"),
    WRITE("coherence:write"),
    /** Operator work on a tenant's data (DLQ replay, erasure); not bound to the token's tenant. */
    ADMIN("coherence:admin");

    private final String scope;

    Action(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    /** The name policies use: read, write, admin. */
    public String policyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
