package io.coherence.application.erasure;

import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicyStore;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Predicate;

/**
 * Whether a tenant is under legal hold, as erasure must know it: from the stored policy, not the
 * replica's snapshot, so a hold set on another replica a moment ago stops an erasure here too
 * (a tenant without a stored policy has the defaults). A store that fails throws: the erasure
 * waits rather than erase what may be held.
 */
@ApplicationScoped
public class LegalHolds {

    private final Predicate<TenantId> held;

    /** For the CDI client proxy only. */
    protected LegalHolds() {
        this.held = null;
    }

    @Inject
    public LegalHolds(TenantDataPolicyStore store, TenantDataPolicies policies) {
        this(tenant -> store.find(tenant).orElseGet(() -> policies.of(tenant)).held());
    }

    public LegalHolds(Predicate<TenantId> held) {
        this.held = held;
    }

    public boolean held(TenantId tenant) {
        return held.test(tenant);
    }
}
