package io.coherence.application.erasure;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.TextRules;
import io.coherence.application.Violation;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.domain.erasure.AuditSigner;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.policy.Action;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Erasure requests: queues one (coherence:admin on the token's own tenant) for the worker, or
 * stores it REFUSED at once when the tenant is under legal hold; reads one back. A request of
 * another tenant is not found, whether or not the id exists.
 */
@ApplicationScoped
public class ErasureService {

    private static final Logger LOG = Logger.getLogger(ErasureService.class.getName());

    static final String HELD = "tenant is under legal hold: nothing is erased while the hold lasts; request again once it is lifted";

    private static final Map<String, String> MESSAGES = Map.of(
            "REQUIRED", "is required",
            "TOO_LONG", "must be 1 to " + TextRules.MAX_TEXT + " characters",
            "NOT_PRINTABLE", "must not contain control or formatting characters, or start or end with spaces",
            "NOT_AN_ID", "must be an erasure request id (a UUID)");

    private static final Pattern PRINTABLE = Pattern.compile(TextRules.PRINTABLE);
    private static final Pattern TRIMMED = Pattern.compile(TextRules.TRIMMED);

    private final ErasureRequestStore store;
    private final LegalHolds holds;
    private final AuditSigner signer;
    private final PolicyEnforcer enforcer;
    private final Clock clock;
    private final ErasureMetrics metrics;
    private final Consumer<ErasureQueued> queued;

    /** For the CDI client proxy only. */
    protected ErasureService() {
        this(null, null, null, null, null, null, (Consumer<ErasureQueued>) null);
    }

    @Inject
    public ErasureService(ErasureRequestStore store, LegalHolds holds, AuditSigner signer, PolicyEnforcer enforcer,
                          Clock clock, ErasureMetrics metrics, Event<ErasureQueued> queued) {
        this(store, holds, signer, enforcer, clock, metrics, queued::fire);
    }

    public ErasureService(ErasureRequestStore store, LegalHolds holds, AuditSigner signer, PolicyEnforcer enforcer,
                          Clock clock, ErasureMetrics metrics, Consumer<ErasureQueued> queued) {
        this.store = store;
        this.holds = holds;
        this.signer = signer;
        this.enforcer = enforcer;
        this.clock = clock;
        this.metrics = metrics;
        this.queued = queued;
    }

    /**
     * Queues the erasure of {@code subjectId} ({@code *}: every signal of the tenant) from the
     * tenant. Refusals are thrown with their codes and store nothing (AUDIT_KEY_UNAVAILABLE
     * without a signing key: no erasure runs unaudited); a legal hold is not a refusal of the
     * call but of the erasure: the request is stored REFUSED and returned.
     */
    public ErasureRequest requestErasure(Caller caller, String tenantId, String subjectId, ErasureScope scope) {
        List<Violation> violations = new ArrayList<>();
        textViolation(tenantId).ifPresent(code -> violations.add(violation("tenantId", code)));
        textViolation(subjectId).ifPresent(code -> violations.add(violation("subjectId", code)));
        if (scope == null) {
            violations.add(violation("scope", "REQUIRED"));
        }
        if (!violations.isEmpty()) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the erasure request is invalid", violations);
        }
        enforcer.require(caller, Action.GOVERN, tenantId);
        if (!signer.available()) {
            throw new CoherenceException(ErrorCode.AUDIT_KEY_UNAVAILABLE,
                    "no audit signing key is configured: erasures cannot be audited, so none is accepted");
        }
        TenantId tenant = TenantId.of(tenantId);
        ErasureSubject subject = new ErasureSubject(subjectId);
        UUID id = UUID.randomUUID();
        boolean held = holds.held(tenant);
        ErasureRequest request = held
                ? ErasureRequest.refusedAtOnce(id, tenant, subject, scope, clock.instant(), HELD)
                : ErasureRequest.queued(id, tenant, subject, scope, clock.instant());
        store.insert(request);
        metrics.entered(request.status());
        // The request id and the subject's hash only: logs must not carry the subject.
        LOG.info(() -> "erasure request " + id + " tenant_id=" + tenant + " scope=" + scope + " subject_sha256="
                + subject.sha256() + " status=" + request.status());
        if (request.status() == ErasureStatus.QUEUED) {
            queued.accept(new ErasureQueued(id));
        }
        return request;
    }

    /** The tenant's request with that id; empty when the tenant has none with it. */
    public Optional<ErasureRequest> erasureRequest(Caller caller, String tenantId, String id) {
        List<Violation> violations = new ArrayList<>();
        textViolation(tenantId).ifPresent(code -> violations.add(violation("tenantId", code)));
        UUID uuid = parse(id);
        if (uuid == null) {
            violations.add(violation("id", "NOT_AN_ID"));
        }
        if (!violations.isEmpty()) {
            throw new CoherenceException(ErrorCode.BAD_USER_INPUT, "the erasure request id is invalid", violations);
        }
        enforcer.require(caller, Action.GOVERN, tenantId);
        return store.find(TenantId.of(tenantId), uuid);
    }

    /**
     * Why a text is not a tenant id or subject: the rules of a signal's source (REQUIRED,
     * TOO_LONG, NOT_PRINTABLE); empty when it meets them.
     */
    static Optional<String> textViolation(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("REQUIRED");
        }
        if (text.length() > TextRules.MAX_TEXT) {
            return Optional.of("TOO_LONG");
        }
        if (!PRINTABLE.matcher(text).matches() || !TRIMMED.matcher(text).matches()) {
            return Optional.of("NOT_PRINTABLE");
        }
        return Optional.empty();
    }

    private static UUID parse(String id) {
        if (id == null || id.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Violation violation(String field, String code) {
        return new Violation(null, field, code, MESSAGES.get(code));
    }
}
