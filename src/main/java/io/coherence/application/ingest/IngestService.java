package io.coherence.application.ingest;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
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
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
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
 * A batch is atomic: when any item is refused, nothing is written.
 */
@ApplicationScoped
public class IngestService {

    private final SignalValidation validation;
    private final PolicyEnforcer enforcer;
    private final RateLimiter limiter;
    private final GroupCommitWriter writer;
    private final IngestSettings settings;
    private final IngestMetrics metrics;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected IngestService() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public IngestService(SignalValidation validation, PolicyEnforcer enforcer, RateLimiter limiter,
                         GroupCommitWriter writer, IngestSettings settings, IngestMetrics metrics, Clock clock) {
        this.validation = validation;
        this.enforcer = enforcer;
        this.limiter = limiter;
        this.writer = writer;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Ingests the items for the caller.
     *
     * @param batch   whether the client sent an array (violations then carry item indexes)
     * @param channel how the items arrived: http, graphql or kafka
     */
    public IngestReceipt ingest(Caller caller, List<SignalSubmission> items, boolean batch, String channel) {
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
            metrics.rejected(channel, items.size());
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the signals are not valid; nothing was written", violations);
        }
        Map<String, Integer> perTenant = new LinkedHashMap<>();
        items.forEach(item -> perTenant.merge(item.tenantId(), 1, Integer::sum));
        perTenant.keySet().forEach(tenant -> enforcer.require(caller, Action.WRITE, tenant));
        // After the policy: a caller refused for another tenant must not spend that tenant's budget.
        perTenant.forEach(limiter::signals);

        List<Signal> signals = new ArrayList<>(items.size());
        for (SignalSubmission item : items) {
            signals.add(toSignal(item, now, channel));
        }
        long started = System.nanoTime();
        List<WriteOutcome> outcomes = writer.write(signals);
        metrics.committed(channel, outcomes, System.nanoTime() - started);

        List<IngestReceipt.Item> receipt = new ArrayList<>(signals.size());
        for (int i = 0; i < signals.size(); i++) {
            WriteOutcome outcome = outcomes.get(i);
            receipt.add(new IngestReceipt.Item(signals.get(i).identity().signalId(), outcome.provenanceId(),
                    outcome.status().name().toLowerCase(Locale.ROOT)));
        }
        return new IngestReceipt(receipt);
    }

    private Signal toSignal(SignalSubmission item, Instant now, String channel) {
        TenantId tenant = TenantId.of(item.tenantId());
        Instant ts = SignalValidation.timestamp(item, now);
        double weight = item.weight() == null ? 1.0 : item.weight();
        String signalId = item.signalId() != null ? item.signalId()
                : SignalIdentity.deriveSignalId(tenant, item.type(), item.value(), weight, item.source(), ts);
        String canonical = Json.createObjectBuilder()
                .add("signalId", signalId)
                .add("source", item.source())
                .add("tenantId", tenant.value())
                .add("ts", ts.toString())
                .add("type", item.type())
                .add("value", item.value())
                .add("weight", weight)
                .build().toString();
        Provenance provenance = new Provenance(UUID.randomUUID().toString(), Sha256.hex(canonical), channel,
                settings.defaultTags());
        return new Signal(new SignalIdentity(tenant, item.source(), signalId, ts), item.type(), item.value(), weight,
                provenance);
    }
}
