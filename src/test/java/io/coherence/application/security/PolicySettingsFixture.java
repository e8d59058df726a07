package io.coherence.application.security;

import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicy;

/** Policy settings for tests: the default tags, in a US deployment. */
public final class PolicySettingsFixture {

    public static final PolicySettings US = new PolicySettings(
            new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US"), "US");

    /** Every tenant on the default data policy. */
    public static final TenantDataPolicies DEFAULTS = tenant -> TenantDataPolicy.defaults(tenant, US.tags());

    private PolicySettingsFixture() {
    }
}
