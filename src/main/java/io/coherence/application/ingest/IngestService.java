package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.Jsons;
import io.coherence.application.Violation;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.retention.RetentionVerdict;
import io.coherence.domain.tenant.TenantDataPolicies;
import io.coherence.domain.tenant.TenantDataPolicy;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The one ingest path for every channel: validate every item, authorize every tenant, give each
 * signal its identity and provenance, write them through the group committer and answer per item.
 * A batch is atomic: when any item is refused, nothing is written. Request channels call
 * {@link #ingest}; a stream admits record by record and commits many records in one write.
 */
@ApplicationScoped
public class IngestService {

    private final SignalValidation validation;
    private final PolicyEnforcer enforcer;
    private final TenantDataPolicies policies;
    private final RateLimiter limiter;
    private final GroupCommitWriter writer;
    private final IngestSettings settings;
    private final IngestMetrics metrics;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected IngestService() {
        this(null, null, null, null, null, null, null, null);
    }

    @Inject
    public IngestService(SignalValidation validation, PolicyEnforcer enforcer, TenantDataPolicies policies,
                         RateLimiter limiter, GroupCommitWriter writer, IngestSettings settings, IngestMetrics metrics,
                         Clock clock) {
        this.validation = validation;
        this.enforcer = enforcer;
        this.policies = policies;
        this.limiter = limiter;
        this.writer = writer;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Ingests the items for the caller: admits them, spends the tenants' ingest budgets, writes them.
     *
     * @param batch   whether the client sent an array (violations then carry item indexes)
     * @param channel how the items arrived: http or graphql
     */
    public IngestReceipt ingest(Caller caller, List<SignalSubmission> items, boolean batch, String channel) {
        return write(admit(caller, items, batch, new Origin(channel, null, null)));
    }

    /** The second half of {@link #ingest}: spends the tenants' ingest budgets and writes the admitted items. */
    public IngestReceipt write(Admitted admitted) {
        // After the policy: a caller refused for another tenant must not spend that tenant's budget.
        admitted.perTenant().forEach(limiter::signals);
        return commit(List.of(admitted)).get(0);
    }

    /**
     * Where items came from: the channel (http, graphql, kafka), for a stream the record that carried
     * them ({@code topic/partition@offset}), and the instant a signal without {@code ts} gets (null:
     * now). A stream passes its record's timestamp, so that a redelivered record derives the same
     * signal identities.
     */
    public record Origin(String channel, String record, Instant defaultTs) {
    }

    /** Items that passed validation and the policy, as signals ready to be written. */
    public record Admitted(List<Signal> signals, Map<String, Integer> perTenant, String channel) {
    }

    /**
     * Validates every item and authorizes every tenant; gives each signal its identity and
     * provenance. Writes nothing and spends no rate budget. Refuses the items whole.
     */
    public Admitted admit(Caller caller, List<SignalSubmission> items, boolean batch, Origin origin) {
        if (items.isEmpty()) {
            throw new CoherenceException(ErrorCode.EMPTY_BATCH, "the batch holds no signals");
        }
        if (items.size() > settings.maxBatch()) {
            throw new CoherenceException(ErrorCode.BATCH_TOO_LARGE,
                    "a batch holds at most " + settings.maxBatch() + " signals, this one " + items.size());
        }
        Instant now = clock.instant();
        List<Violation> violations = validation.check(items, batch, now, settings);
        if (!violations.isEmpty()) {
            metrics.rejected(origin.channel(), items.size());
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the signals are not valid; nothing was written", violations);
        }
        Map<String, Integer> perTenant = new LinkedHashMap<>();
        items.forEach(item -> perTenant.merge(item.tenantId(), 1, Integer::sum));
        perTenant.keySet().forEach(tenant -> enforcer.require(caller, Action.WRITE, tenant));

        Instant defaultTs = origin.defaultTs() == null ? now : origin.defaultTs();
        checkRetention(items, batch, now, defaultTs, origin);
        List<Signal> signals = new ArrayList<>(items.size());
        for (SignalSubmission item : items) {
            signals.add(toSignal(item, defaultTs, origin));
        }
        return new Admitted(List.copyOf(signals), Map.copyOf(perTenant), origin.channel());
    }

    /**
     * Writes admitted items in one call to the group committer (so in as few transactions as it
     * makes) and answers one receipt per admitted entry, in order. Throws STORE_UNAVAILABLE when the
     * store did not write them, and OUTCOME_UNKNOWN ({@link OutcomeUnknownException}) when it may
     * still; either way nothing is acknowledged and a retry is safe.
     */
    public List<IngestReceipt> commit(List<Admitted> admitted) {
        List<Signal> signals = new ArrayList<>();
        admitted.forEach(a -> signals.addAll(a.signals()));
        long started = System.nanoTime();
        List<WriteOutcome> outcomes;
        try {
            outcomes = writer.write(signals);
        } catch (OutcomeUnknownException e) {
            // Counted when the store answers, as if the caller had waited.
            e.outcomes().thenAccept(late -> count(admitted, late, System.nanoTime() - started));
            throw e;
        }
        count(admitted, outcomes, System.nanoTime() - started);
        return receipts(admitted, outcomes);
    }

    private void count(List<Admitted> admitted, List<WriteOutcome> outcomes, long nanos) {
        int offset = 0;
        for (Admitted a : admitted) {
            metrics.committed(a.channel(), outcomes.subList(offset, offset + a.signals().size()), nanos);
            offset += a.signals().size();
        }
    }

    /** One receipt per admitted entry from the outcomes of their signals, in order. */
    public List<IngestReceipt> receipts(List<Admitted> admitted, List<WriteOutcome> outcomes) {
        List<IngestReceipt> receipts = new ArrayList<>(admitted.size());
        int offset = 0;
        for (Admitted a : admitted) {
            List<WriteOutcome> own = outcomes.subList(offset, offset + a.signals().size());
            List<IngestReceipt.Item> items = new ArrayList<>(own.size());
            for (int i = 0; i < own.size(); i++) {
                items.add(new IngestReceipt.Item(a.signals().get(i).identity().signalId(), own.get(i).provenanceId(),
                        own.get(i).status().name().toLowerCase(Locale.ROOT)));
            }
            receipts.add(new IngestReceipt(items));
            offset += a.signals().size();
        }
        return receipts;
    }

    /**
     * After authorization, so that a caller learns another tenant's retention tier from nothing:
     * a signal (its ts, else the stream record's time) that retention would prune at once is refused.
     */
    private void checkRetention(List<SignalSubmission> items, boolean batch, Instant now, Instant defaultTs, Origin origin) {
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            SignalSubmission item = items.get(i);
            TenantDataPolicy policy = policies.of(TenantId.of(item.tenantId()));
            Instant ts = SignalValidation.timestamp(item, defaultTs);
            RetentionVerdict verdict = policy.retention(ts, now);
            if (verdict.prune()) {
                String what = item.ts() != null ? "is " : "is missing, and the record's timestamp " + ts + " is ";
                violations.add(new Violation(batch ? i : null, "ts", "TS_BEYOND_RETENTION", what + verdict.explain()
                        + " for tenant " + item.tenantId() + " (oldest accepted: " + policy.pruneBefore(now).orElseThrow() + ")"));
            }
        }
        if (!violations.isEmpty()) {
            metrics.rejected(origin.channel(), items.size());
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the signals are not valid; nothing was written", violations);
        }
    }

    private Signal toSignal(SignalSubmission item, Instant defaultTs, Origin origin) {
        TenantId tenant = TenantId.of(item.tenantId());
        Instant ts = SignalValidation.timestamp(item, defaultTs);
        double weight = item.weight() == null ? 1.0 : item.weight();
        String signalId = item.signalId() != null ? item.signalId()
                : SignalIdentity.deriveSignalId(tenant, item.type(), item.value(), weight, item.source(), ts);
        String canonical = Jsons.JSON.createObjectBuilder()
                .add("signalId", signalId)
                .add("source", item.source())
                .add("tenantId", tenant.value())
                .add("ts", ts.toString())
                .add("type", item.type())
                .add("value", item.value())
                .add("weight", weight)
                .build().toString();
        Provenance provenance = new Provenance(UUID.randomUUID().toString(), Sha256.hex(canonical), origin.channel(),
                origin.record(), policies.of(tenant).tags());
        // A client's signal id without ts: a retry gets another ts, so the store matches on the id alone.
        boolean tsAssigned = item.ts() == null && item.signalId() != null;
        return new Signal(new SignalIdentity(tenant, item.source(), signalId, ts), item.type(), item.value(), weight,
                provenance, tsAssigned);
    }
}
