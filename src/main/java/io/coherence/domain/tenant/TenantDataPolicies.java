package io.coherence.domain.tenant;

/**
 * The data policy in force for a tenant, as every path that needs it sees it (ingest, the policy
 * decision point, retention, erasure): the stored one, or the defaults. Cheap to call per request.
 */
public interface TenantDataPolicies {

    TenantDataPolicy of(TenantId tenant);
}
