package io.coherence.application.security;

import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The caller of the current request, from the JWT that MicroProfile JWT already verified
 * (signature, issuer, audience, expiry). Claims: {@code tenant} (string) and {@code scope}
 * (space-separated).
 */
@RequestScoped
public class CallerContext {

    @Inject
    JsonWebToken token;

    public Optional<Caller> current() {
        if (token == null || token.getRawToken() == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(token.getSubject(), Optional.ofNullable(stringClaim("tenant")), scopes()));
    }

    private Set<String> scopes() {
        String scope = stringClaim("scope");
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(scope.trim().split("\\s+")).collect(Collectors.toUnmodifiableSet());
    }

    private String stringClaim(String name) {
        Object value = token.getClaim(name);
        if (value instanceof jakarta.json.JsonString json) {
            return json.getString();
        }
        return value instanceof String s ? s : null;
    }
}
