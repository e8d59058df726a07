package io.coherence.application.tenant;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.security.PolicySettings;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantDataPolicyStore;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The data policies in force, held in memory: every ingest, every policy decision and every
 * retention or erasure step asks for a tenant's policy, and none of them should wait on
 * PostgreSQL for it. The whole table is reloaded every {@code refresh} (a change made on another
 * replica shows here within that); a change made here shows at once. While PostgreSQL fails, the
 * last snapshot stays in force. Until a first load succeeded nothing is answered: a default could
 * be wrong for a tenant that set its own.
 */
@ApplicationScoped
public class TenantPolicySnapshot implements TenantDataPolicies {

    private static final Logger LOG = Logger.getLogger(TenantPolicySnapshot.class.getName());

    private final TenantDataPolicyStore store;
    private final PolicySettings defaults;
    private final Duration refresh;
    private final Clock clock;
    /** The default tier, parsed once: {@link #of} runs per request and per signal. */
    private final RetentionTier defaultTier;
    private volatile Map<String, TenantDataPolicy> policies;
    private volatile Instant loadedAt;

    /** For the CDI client proxy only. */
    protected TenantPolicySnapshot() {
        this(null, null, null, null);
    }

    @Inject
    public TenantPolicySnapshot(TenantDataPolicyStore store, PolicySettings defaults,
                                DataPolicySettings settings, Clock clock) {
        this.store = store;
        this.defaults = defaults;
        this.refresh = settings == null ? null : settings.refresh();
        this.clock = clock;
        this.defaultTier = defaults == null ? null : RetentionTier.parse(defaults.tags().retention());
    }

    @Override
    public TenantDataPolicy of(TenantId tenant) {
        Map<String, TenantDataPolicy> current = policies;
        if (current == null) {
            current = firstLoad();
        }
        TenantDataPolicy policy = current.get(tenant.value());
        return policy != null ? policy : TenantDataPolicy.defaults(tenant, defaults.tags(), defaultTier);
    }

    /** Reloads when the refresh interval has passed; a failed reload keeps the snapshot. */
    public void refreshIfDue() {
        Instant last = loadedAt;
        if (last != null && clock.instant().isBefore(last.plus(refresh))) {
            return;
        }
        try {
            load();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "reloading tenant data policies failed; the last snapshot stays in force", e);
        }
    }

    /** A change stored by this replica, in force here at once. */
    public synchronized void changed(TenantDataPolicy policy) {
        Map<String, TenantDataPolicy> next = new HashMap<>(policies == null ? Map.of() : policies);
        next.put(policy.tenant().value(), policy);
        policies = Map.copyOf(next);
    }

    private synchronized Map<String, TenantDataPolicy> firstLoad() {
        if (policies == null) {
            try {
                load();
            } catch (RuntimeException e) {
                throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                        "tenant data policies are not loaded yet and PostgreSQL is unavailable; retry shortly");
            }
        }
        return policies;
    }

    private synchronized void load() {
        Instant started = clock.instant();
        Map<String, TenantDataPolicy> loaded = new HashMap<>();
        for (TenantDataPolicy p : store.findAll()) {
            loaded.put(p.tenant().value(), p);
        }
        policies = Map.copyOf(loaded);
        loadedAt = started;
    }
}
