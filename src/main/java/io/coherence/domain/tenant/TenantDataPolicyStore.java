package io.coherence.domain.tenant;

import java.util.List;
import java.util.Optional;

/** Where tenants' data policies are kept; a tenant without one has the defaults. */
public interface TenantDataPolicyStore {

    Optional<TenantDataPolicy> find(TenantId tenant);

    /** Every stored policy (one row per tenant that set one; the table stays small). */
    List<TenantDataPolicy> findAll();

    /** Stores the policy, stamped with the store's clock, and returns it as stored. */
    TenantDataPolicy save(TenantDataPolicy policy);
}
