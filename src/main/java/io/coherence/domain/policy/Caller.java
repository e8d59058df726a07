package io.coherence.domain.policy;

import java.util.Optional;
import java.util.Set;

/**
 * An authenticated caller: the token's subject, the tenant it acts for (absent when the token
 * names none) and its scopes.
 */
public record Caller(String subject, Optional<String> tenant, Set<String> scopes) {

    public Caller {
        tenant = tenant == null ? Optional.empty() : tenant;
        scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
