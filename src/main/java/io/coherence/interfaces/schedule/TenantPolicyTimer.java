package io.coherence.interfaces.schedule;

import io.coherence.application.tenant.DataPolicyService;
import io.coherence.application.tenant.TenantPolicySnapshot;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * On every replica: loads tenants' data policies before the first request, reloads them when the
 * refresh interval has passed (the snapshot decides), and every ten seconds records in the ledger
 * the policy changes it missed. Not persistent: every replica keeps its own snapshot.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TenantPolicyTimer {

    private static final Logger LOG = Logger.getLogger(TenantPolicyTimer.class.getName());

    @Inject
    TenantPolicySnapshot snapshot;

    @Inject
    DataPolicyService policies;

    @PostConstruct
    void load() {
        snapshot.refreshIfDue();
    }

    @Schedule(hour = "*", minute = "*", second = "*", persistent = false, info = "coherence-tenant-policies")
    void refresh() {
        snapshot.refreshIfDue();
    }

    @Schedule(hour = "*", minute = "*", second = "*/10", persistent = false, info = "coherence-tenant-policy-ledger")
    void recordPending() {
        try {
            policies.recordPending();
        } catch (RuntimeException e) {
            // A failed run must not count as a failed timeout: EJB would retry it at once.
            LOG.log(Level.WARNING, "recording policy changes in the ledger failed; the next tick retries", e);
        }
    }
}
