package io.coherence.domain.policy;

/** What a caller wants to do to a tenant's data, and the scope that permits it. */
public enum Action {
    READ("coherence:read"),
    WRITE("coherence:write");

    private final String scope;

    Action(String scope) {
        this.scope = scope;
    }

    public String scope() {
        return scope;
    }
}
