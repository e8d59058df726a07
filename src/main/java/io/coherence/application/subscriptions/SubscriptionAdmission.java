package io.coherence.application.subscriptions;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.Admission;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.TokenVerifier;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may hold live subscriptions, decided apart from the transport that carries them:
 * <ul>
 * <li>a connection, for a token the verifier accepts, while its tenant holds fewer connections on
 *     this replica than the limit ({@code TENANT_CONNECTION_LIMIT});</li>
 * <li>each subscribe request, within the tenant's request rate ({@code RATE_LIMITED});</li>
 * <li>each subscription, under the per-connection limit ({@code SUBSCRIPTION_LIMIT}) and when the
 *     access policy lets the caller read the tenant ({@code FORBIDDEN}).</li>
 * </ul>
 * The WebSocket endpoint turns each refusal into its protocol's answer (a close code or an
 * {@code error} message).
 */
@ApplicationScoped
public class SubscriptionAdmission {

    /** A refusal: its code and a sentence for people. */
    public record Refusal(ErrorCode code, String message) {
    }

    /** What {@link #connect} decided. */
    public sealed interface Connect permits Connected, Refused {
    }

    /** Admitted: the verified caller, and the tenant whose connection count it holds until {@link #disconnect}. */
    public record Connected(TokenVerifier.Verified identity, String tenant) implements Connect {
    }

    public record Refused(Refusal refusal) implements Connect {
    }

    private final TokenVerifier tokens;
    private final RateLimiter limiter;
    private final PolicyEnforcer enforcer;
    private final Map<String, Integer> connections = new ConcurrentHashMap<>();

    /** For the CDI client proxy only. */
    protected SubscriptionAdmission() {
        this(null, null, null);
    }

    @Inject
    public SubscriptionAdmission(TokenVerifier tokens, RateLimiter limiter, PolicyEnforcer enforcer) {
        this.tokens = tokens;
        this.limiter = limiter;
        this.enforcer = enforcer;
    }

    /** A new connection's {@code connection_init} with this token, under {@code maxPerTenant}. */
    public Connect connect(String token, int maxPerTenant) {
        TokenVerifier.Verified verified;
        try {
            verified = tokens.verify(token);
        } catch (CoherenceException e) {
            return new Refused(new Refusal(ErrorCode.FORBIDDEN, e.getMessage()));
        }
        String tenant = verified.caller().tenant().orElse("");
        boolean[] admitted = {false};
        connections.compute(tenant, (t, n) -> {
            int current = n == null ? 0 : n;
            if (current >= maxPerTenant) {
                return n;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            return new Refused(new Refusal(ErrorCode.TENANT_CONNECTION_LIMIT,
                    "tenant has " + maxPerTenant + " connections on this replica"));
        }
        return new Connected(verified, tenant);
    }

    /** A connection {@link #connect} admitted has closed. */
    public void disconnect(String tenant) {
        connections.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    }

    /** A subscribe request: one token from the caller's tenant's request bucket. */
    public Optional<Refusal> request(Caller caller) {
        Optional<String> tenant = caller.tenant();
        Admission admission = tenant.isPresent() ? limiter.tenantRequest(tenant.get()) : Admission.ADMITTED;
        return admission.admitted() ? Optional.empty() : Optional.of(new Refusal(ErrorCode.RATE_LIMITED,
                "rate limit exceeded (" + admission.limit() + "); retry after " + admission.retryAfterSeconds() + " s"));
    }

    /** One more subscription to {@code tenantId} on a connection that holds {@code open} of at most {@code max}. */
    public Optional<Refusal> subscribe(Caller caller, String tenantId, int open, int max) {
        if (open >= max) {
            return Optional.of(new Refusal(ErrorCode.SUBSCRIPTION_LIMIT, "this connection already has " + max + " subscriptions"));
        }
        try {
            enforcer.require(caller, Action.READ, tenantId);
        } catch (CoherenceException e) {
            return Optional.of(new Refusal(e.code(), e.getMessage()));
        }
        return Optional.empty();
    }
}
