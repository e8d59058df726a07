package io.coherence.application.security;

import io.coherence.domain.tenant.PolicyTags;

/** What policies are told besides the caller: the data's policy tags and the deployment's region. */
public record PolicySettings(PolicyTags tags, String region) {
}
