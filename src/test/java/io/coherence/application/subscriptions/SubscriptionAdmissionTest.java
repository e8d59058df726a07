package io.coherence.application.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.application.security.TokenVerifier;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.infrastructure.ratelimit.LocalRateBuckets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionAdmissionTest {

    private static final Caller READER_A = new Caller("sub", Optional.of("tenant-a"), Set.of("coherence:read"));

    private final TokenVerifier tokens = token -> {
        if (!token.startsWith("good-")) {
            throw new CoherenceException(ErrorCode.UNAUTHENTICATED, "the token's signature does not verify", List.of());
        }
        return new TokenVerifier.Verified(new Caller("sub", Optional.of(token.substring(5)), Set.of("coherence:read")),
                Instant.now().plusSeconds(600));
    };
    private final SubscriptionAdmission admission = new SubscriptionAdmission(tokens,
            new RateLimiter(new LocalRateBuckets(), () -> new RateLimitSettings(RateLimit.OFF, new RateLimit(1, 2), RateLimit.OFF)),
            new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US));

    @Test
    void aTenantHoldsAtMostItsConnectionsAndAClosedOneFreesItsPlace() {
        assertThat(admission.connect("good-tenant-a", 2)).isInstanceOf(SubscriptionAdmission.Connected.class);
        assertThat(admission.connect("good-tenant-a", 2)).isInstanceOf(SubscriptionAdmission.Connected.class);
        assertThat(admission.connect("good-tenant-b", 2)).as("another tenant's count").isInstanceOf(SubscriptionAdmission.Connected.class);

        var third = admission.connect("good-tenant-a", 2);
        assertThat(((SubscriptionAdmission.Refused) third).refusal().code()).isEqualTo(ErrorCode.TENANT_CONNECTION_LIMIT);

        admission.disconnect("tenant-a");
        assertThat(admission.connect("good-tenant-a", 2)).isInstanceOf(SubscriptionAdmission.Connected.class);
    }

    @Test
    void aTokenTheVerifierRefusesIsForbiddenAndTakesNoPlace() {
        var refused = (SubscriptionAdmission.Refused) admission.connect("forged", 1);
        assertThat(refused.refusal().code()).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(refused.refusal().message()).contains("does not verify");
        assertThat(admission.connect("good-tenant-a", 1)).isInstanceOf(SubscriptionAdmission.Connected.class);
    }

    @Test
    void subscribeRequestsSpendTheTenantsRequestRate() {
        assertThat(admission.request(READER_A)).isEmpty();
        assertThat(admission.request(READER_A)).isEmpty();
        assertThat(admission.request(READER_A)).map(SubscriptionAdmission.Refusal::code).contains(ErrorCode.RATE_LIMITED);
    }

    @Test
    void aSubscriptionNeedsRoomOnTheConnectionAndTheRightToReadTheTenant() {
        assertThat(admission.subscribe(READER_A, "tenant-a", 1, 2)).isEmpty();
        assertThat(admission.subscribe(READER_A, "tenant-a", 2, 2)).map(SubscriptionAdmission.Refusal::code)
                .contains(ErrorCode.SUBSCRIPTION_LIMIT);
        assertThat(admission.subscribe(READER_A, "tenant-b", 0, 2)).map(SubscriptionAdmission.Refusal::code)
                .contains(ErrorCode.FORBIDDEN);
    }
}
