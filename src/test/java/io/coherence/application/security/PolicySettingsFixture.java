package io.coherence.application.security;

import io.coherence.domain.provenance.PolicyTags;

/** Policy settings for tests: the default tags, in a US deployment. */
public final class PolicySettingsFixture {

    public static final PolicySettings US = new PolicySettings(
            new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US"), "US");

    private PolicySettingsFixture() {
    }
}
