package io.coherence.domain.policy;

import java.util.Locale;

/** What a caller wants to do to a tenant's data, and the scope that permits it. */
public enum Action {
    READ("coherence:read"),
    WRITE("coherence:write"),
    /** Operator work across tenants (dead-letter replay); not bound to the token's tenant. */
    ADMIN("coherence:admin"),
    /**
     * Governing the token's own tenant's data: changing its data policy, running retention,
     * requesting erasure, verifying its ledger. Needs the admin scope and is bound to the tenant.
     */
    GOVERN("coherence:admin");

    private final String scope;

    Action(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }

    /** The name policies use: read, write, admin, govern. */
    public String policyName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
