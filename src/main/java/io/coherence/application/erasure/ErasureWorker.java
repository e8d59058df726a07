package io.coherence.application.erasure;

import io.coherence.domain.erasure.AuditSigner;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureStep;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Carries out queued erasure requests, on any replica. A request is claimed with a lease under a
 * token of this run (SKIP LOCKED, so replicas take different ones); each batch renews the lease and
 * each finished step is stored with the step that follows, so a worker that dies leaves the request
 * to whoever claims it once the lease ended, and that one resumes at the stored step. A write
 * under a lease that went to another worker changes nothing, and this worker stops. Before every
 * step that erases (and every batch of it) the tenant's legal hold is checked: under a hold the
 * request is REFUSED and nothing more is erased.
 */
@ApplicationScoped
public class ErasureWorker {

    private static final Logger LOG = Logger.getLogger(ErasureWorker.class.getName());

    /** Requests one call handles at most, so a timer callback ends; the next tick goes on. */
    static final int MAX_PER_RUN = 50;

    private final ErasureRequestStore store;
    private final ErasureSteps steps;
    private final LegalHolds holds;
    private final AuditSigner signer;
    private final ErasureSettings settings;
    private final Clock clock;
    private final ErasureMetrics metrics;

    /** For the CDI client proxy only. */
    protected ErasureWorker() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public ErasureWorker(ErasureRequestStore store, ErasureSteps steps, LegalHolds holds, AuditSigner signer,
                         ErasureSettings settings, Clock clock, ErasureMetrics metrics) {
        this.store = store;
        this.steps = steps;
        this.holds = holds;
        this.signer = signer;
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Handles claimable requests one after the other until none is left; answers how many it handled. */
    public int runDue() {
        refreshOldestPending();
        int handled = 0;
        while (handled < MAX_PER_RUN) {
            String token = UUID.randomUUID().toString();
            Optional<ErasureRequestStore.Claim> claim = store.claim(token, settings.lease());
            if (claim.isEmpty()) {
                break;
            }
            handled++;
            run(claim.get());
        }
        if (handled > 0) {
            refreshOldestPending();
        }
        return handled;
    }

    private void refreshOldestPending() {
        try {
            metrics.oldestPending(store.oldestPending());
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the erasure queue cannot be read; the oldest pending request stays as last seen", e);
        }
    }

    /** Runs the claimed request from its stored step until it finishes, waits, fails or is lost. */
    void run(ErasureRequestStore.Claim claim) {
        ErasureRequest request = claim.request();
        String token = claim.token();
        Map<ErasureStep, String> findings = new EnumMap<>(ErasureStep.class);
        findings.putAll(claim.findings());
        if (request.step() == ErasureStep.first() && request.attempts() == 0 && findings.isEmpty()) {
            metrics.entered(ErasureStatus.RUNNING);
        }
        ErasureStep step = request.step();
        try {
            while (step != ErasureStep.AUDIT) {
                ErasureStep current = step;
                Guard guard = new Guard(request, token, current);
                guard.beforeBatch(0);
                ErasureSteps.Outcome outcome = steps.run(current, request, findings, guard);
                if (outcome instanceof ErasureSteps.Wait wait) {
                    store.release(request.id(), token, wait.until(), wait.note(), false);
                    return;
                }
                String done = ((ErasureSteps.Done) outcome).findings();
                ErasureStep next = current.next().orElseThrow();
                if (!store.advance(request.id(), token, current, done, next, settings.lease())) {
                    return;
                }
                findings.put(current, done);
                step = next;
            }
            complete(request, token, findings);
        } catch (Held held) {
            finish(request.refuse(clock.instant(), held.getMessage()), token);
        } catch (LeaseLost lost) {
            LOG.info(() -> "erasure request " + request.id() + " went to another worker; this one stops");
        } catch (RuntimeException e) {
            failed(request, token, e);
        }
    }

    private void complete(ErasureRequest request, String token, Map<ErasureStep, String> findings) {
        if (!signer.available()) {
            // Everything is erased; the request completes once a signing key is configured again.
            store.release(request.id(), token, clock.instant().plus(settings.retry()), "no audit signing key is configured", false);
            LOG.warning(() -> "erasure request " + request.id() + " waits for an audit signing key to complete");
            return;
        }
        long affected = AuditPackage.finding(findings, ErasureStep.SIGNALS).getJsonNumber("erased").longValue();
        Instant now = clock.instant();
        String auditPackage = AuditPackage.of(request, findings, affected, now, signer.keyId());
        String signature = signer.sign(auditPackage);
        if (finish(request.complete(now, affected, auditPackage, signature), token)) {
            steps.forgetProgress(request.id());
        }
    }

    private boolean finish(ErasureRequest finished, String token) {
        if (!store.finish(finished, token)) {
            LOG.info(() -> "erasure request " + finished.id() + " went to another worker before it could finish here");
            return false;
        }
        metrics.entered(finished.status());
        LOG.info(() -> "erasure request " + finished.id() + " tenant_id=" + finished.tenant() + " " + finished.status()
                + (finished.affected() == null ? "" : " affected=" + finished.affected())
                + (finished.reason() == null ? "" : ": " + finished.reason()));
        return true;
    }

    private void failed(ErasureRequest request, String token, RuntimeException e) {
        int attempts = request.attempts() + 1;
        String reason = "attempt " + attempts + " failed at step " + request.step() + ": " + e.getClass().getSimpleName();
        LOG.log(Level.WARNING, e, () -> "erasure request " + request.id() + " " + reason);
        try {
            if (attempts >= settings.maxAttempts()) {
                finish(request.fail(clock.instant(), reason + " (" + attempts + " attempts, none left)"), token);
            } else {
                store.release(request.id(), token, clock.instant().plus(settings.retry()), reason, true);
            }
        } catch (RuntimeException again) {
            // The lease ends by itself and another claim retries.
            LOG.log(Level.FINE, "the failed attempt could not be recorded", again);
        }
    }

    /** Before each batch: the lease is renewed, and a step that erases stops under a legal hold. */
    private final class Guard implements ErasureSteps.Guard {

        private final ErasureRequest request;
        private final String token;
        private final ErasureStep step;

        Guard(ErasureRequest request, String token, ErasureStep step) {
            this.request = request;
            this.token = token;
            this.step = step;
        }

        @Override
        public void beforeBatch(long erasedSoFar) {
            if (!store.renew(request.id(), token, settings.lease())) {
                throw new LeaseLost();
            }
            if (step.compareTo(ErasureStep.SIGNALS) <= 0 && holds.held(request.tenant())) {
                throw new Held(erasedSoFar == 0 ? ErasureService.HELD
                        : ErasureService.HELD + " (the hold came during the erasure: " + erasedSoFar
                        + " signals had been erased before it)");
            }
        }
    }

    private static final class Held extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Held(String message) {
            super(message, null, false, false);
        }
    }

    private static final class LeaseLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LeaseLost() {
            super(null, null, false, false);
        }
    }
}
