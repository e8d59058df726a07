package io.coherence.application.tenant;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Violation;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettings;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantDataPolicyStore;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reading and changing a tenant's data policy. Reading needs {@code coherence:read}, changing
 * {@code coherence:admin} ({@link Action#GOVERN}), both on the token's own tenant. A change is
 * stored in PostgreSQL, in force on this replica at once (on others within the snapshot's
 * refresh), and recorded in the provenance ledger; if the ledger cannot take it now,
 * {@link #recordPending()} records it later.
 */
@ApplicationScoped
public class DataPolicyService {

    private static final Logger LOG = Logger.getLogger(DataPolicyService.class.getName());

    private static final Map<String, String> MESSAGES = Map.of(
            "REQUIRED", "must not be blank",
            "TOO_LONG", "must be 1 to 128 characters",
            "NOT_PRINTABLE", "must not contain control or formatting characters, or start or end with spaces");

    private final PolicyEnforcer enforcer;
    private final TenantDataPolicyStore store;
    private final TenantPolicySnapshot snapshot;
    private final ProvenanceLedger ledger;
    private final PolicySettings settings;
    private final Validator validator;

    /** For the CDI client proxy only. */
    protected DataPolicyService() {
        this(null, null, null, null, null, null);
    }

    @Inject
    public DataPolicyService(PolicyEnforcer enforcer, TenantDataPolicyStore store, TenantPolicySnapshot snapshot,
                             ProvenanceLedger ledger, PolicySettings settings, Validator validator) {
        this.enforcer = enforcer;
        this.store = store;
        this.snapshot = snapshot;
        this.ledger = ledger;
        this.settings = settings;
        this.validator = validator;
    }

    /** The tenant's policy as stored (the defaults if it never set one). */
    public TenantDataPolicy get(Caller caller, String tenantId) {
        enforcer.require(caller, Action.READ, tenantId);
        TenantId tenant = TenantId.of(tenantId);
        try {
            return store.find(tenant).orElseGet(() -> defaults(tenant));
        } catch (RuntimeException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE, "the data policy store is unavailable; retry shortly");
        }
    }

    public TenantDataPolicy change(Caller caller, DataPolicyChange change) {
        enforcer.require(caller, Action.GOVERN, change.tenantId());
        check(change);
        TenantId tenant = TenantId.of(change.tenantId());
        TenantDataPolicyStore.Versioned saved;
        try {
            saved = store.update(tenant, defaults(tenant), change::applyTo, caller.subject());
        } catch (RuntimeException e) {
            throw new CoherenceException(ErrorCode.STORE_UNAVAILABLE,
                    "the data policy store is unavailable; nothing was changed, retry shortly");
        }
        snapshot.changed(saved.policy());
        try {
            record(saved);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the ledger did not take policy change v" + saved.version() + " of tenant "
                    + tenant + " now; the next tick records it", e);
        }
        return saved.policy();
    }

    /** Records the changes the ledger does not hold yet (after a failure between the two stores). */
    public void recordPending() {
        for (TenantDataPolicyStore.Versioned change : store.unrecorded()) {
            record(change);
        }
    }

    private void record(TenantDataPolicyStore.Versioned saved) {
        TenantDataPolicy p = saved.policy();
        String canonical = String.join("\n", p.tenant().value(), Long.toString(saved.version()), p.tier().policyName(),
                p.purpose(), p.license(), p.residency(), Boolean.toString(p.legalHold()));
        ledger.record(p.tenant(), LedgerAction.POLICY, "policy v" + saved.version() + " " + p.tier().policyName()
                + (p.legalHold() ? " legal-hold" : ""), Sha256.hex(canonical));
        store.recorded(p.tenant(), saved.version());
    }

    private void check(DataPolicyChange change) {
        List<Violation> violations = new ArrayList<>();
        for (ConstraintViolation<DataPolicyChange> v : validator.validate(change)) {
            String code = v.getMessage();
            violations.add(new Violation(null, v.getPropertyPath().toString(), code, MESSAGES.getOrDefault(code, code)));
        }
        if (change.residency() != null && violations.isEmpty() && !change.residency().equals(settings.region())) {
            violations.add(new Violation(null, "residency", "RESIDENCY_MISMATCH", "must be this deployment's region "
                    + settings.region() + ": the data is stored here, and a tag cannot move it"));
        }
        if (change.empty()) {
            violations.add(new Violation(null, null, "NOTHING_TO_CHANGE",
                    "name at least one of retentionTier, purpose, license, residency, legalHold"));
        }
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing((Violation v) -> String.valueOf(v.field())).thenComparing(Violation::code));
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the data policy change is not valid; nothing was changed",
                    violations.stream().distinct().toList());
        }
    }

    private TenantDataPolicy defaults(TenantId tenant) {
        return TenantDataPolicy.defaults(tenant, settings.tags());
    }
}
