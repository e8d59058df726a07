package io.coherence.application.provenance;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.TenantIds;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.LedgerExporter;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * verifyLedger and the ledger export: validate the tenant id, authorize (the govern action:
 * {@code coherence:admin} on the token's own tenant), then read the chain. Counts verifications in
 * {@code ledger_verifications_total{result="valid"|"broken"}}.
 */
@ApplicationScoped
public class LedgerService {

    private final PolicyEnforcer enforcer;
    private final ProvenanceLedger ledger;
    private final LedgerExporter exporter;
    private final MetricRegistry metrics;

    /** For the CDI client proxy only. */
    protected LedgerService() {
        this(null, null, null, null);
    }

    @Inject
    public LedgerService(PolicyEnforcer enforcer, ProvenanceLedger ledger, LedgerExporter exporter, MetricRegistry metrics) {
        this.enforcer = enforcer;
        this.ledger = ledger;
        this.exporter = exporter;
        this.metrics = metrics;
    }

    public LedgerVerification verify(Caller caller, String tenantId) {
        TenantId tenant = authorized(caller, tenantId);
        LedgerVerification result;
        try {
            result = ledger.verify(tenant);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (metrics != null) {
            metrics.counter("ledger_verifications", new Tag("result", result.valid() ? "valid" : "broken")).inc();
        }
        return result;
    }

    /**
     * Checks the caller may export the tenant's ledger; the returned export writes it when run
     * (streamed by the caller, after the answer has started).
     */
    public Export export(Caller caller, String tenantId) {
        TenantId tenant = authorized(caller, tenantId);
        return out -> exporter.export(tenant, out);
    }

    /** A tenant's ledger, written when asked. */
    @FunctionalInterface
    public interface Export {
        void writeTo(Writer out) throws IOException;
    }

    private TenantId authorized(Caller caller, String tenantId) {
        TenantId tenant = TenantIds.checked(tenantId);
        enforcer.require(caller, Action.GOVERN, tenant.value());
        return tenant;
    }

    private static CoherenceException unavailable(RuntimeException e) {
        if (e instanceof CoherenceException known) {
            return known;
        }
        return new CoherenceException(ErrorCode.STORE_UNAVAILABLE, "the ledger cannot be read now; retry", List.of(), e);
    }
}
