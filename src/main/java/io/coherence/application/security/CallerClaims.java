package io.coherence.application.security;

import io.coherence.domain.policy.Caller;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** How a token's claims make a caller: {@code tenant} (string) and {@code scope} (space-separated). */
public final class CallerClaims {

    private CallerClaims() {
    }

    public static Caller caller(String subject, String tenantClaim, String scopeClaim) {
        return new Caller(subject, Optional.ofNullable(tenantClaim), scopes(scopeClaim));
    }

    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }
}
