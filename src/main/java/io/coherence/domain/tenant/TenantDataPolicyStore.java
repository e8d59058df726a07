package io.coherence.domain.tenant;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where tenants' data policies are kept; a tenant without one has the defaults. Each change gets
 * the tenant's next version; the ledger records a change after the store has it, so the store
 * keeps which versions the ledger holds ({@link #unrecorded()}, {@link #recorded}).
 */
public interface TenantDataPolicyStore {

    /** A stored policy and its version (1 for the first change). */
    record Versioned(TenantDataPolicy policy, long version) {
    }

    Optional<TenantDataPolicy> find(TenantId tenant);

    /** Every stored policy (one row per tenant that set one; the table stays small). */
    List<TenantDataPolicy> findAll();

    /**
     * Applies {@code change} to the tenant's stored policy ({@code defaults} when it has none) and
     * stores the result as the tenant's next version, stamped with the store's clock; concurrent
     * changes of one tenant apply one after the other, so none is lost.
     */
    Versioned update(TenantId tenant, TenantDataPolicy defaults, UnaryOperator<TenantDataPolicy> change, String updatedBy);

    /**
     * The latest version of each tenant whose change the ledger does not hold yet, once the change is
     * old enough that the request that made it is no longer recording it.
     */
    List<Versioned> unrecorded();

    /** The ledger holds the tenant's changes up to {@code version}. */
    void recorded(TenantId tenant, long version);
}
