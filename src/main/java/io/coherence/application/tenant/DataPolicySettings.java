package io.coherence.application.tenant;

import java.time.Duration;

/** How often each replica reloads tenants' data policies (COHERENCE_TENANT_POLICY_REFRESH). */
public record DataPolicySettings(Duration refresh) {
}
