package io.coherence.application.erasure;

import io.coherence.application.events.EventSettings;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStep;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The steps of an erasure before its audit, one store each. Every step is idempotent: run again
 * after a crash, it finds what is left and finishes it. A step either is done, with its findings
 * (JSON, no personal data), or waits until a given time (the score for the materializer, the
 * events for the buffers' windows).
 */
@ApplicationScoped
public class ErasureSteps {

    private static final Logger LOG = Logger.getLogger(ErasureSteps.class.getName());

    /** What a step came to. */
    public sealed interface Outcome permits Done, Wait {
    }

    public record Done(String findings) implements Outcome {
    }

    public record Wait(Instant until, String note) implements Outcome {
    }

    /** Called before each batch: renews the lease and checks the hold; throws to stop the step. */
    public interface Guard {
        void beforeBatch(long erasedSoFar);
    }

    private final ErasureGraph graph;
    private final IdempotencyRedaction keys;
    private final ScoreRepository scores;
    private final ScoreCache cache;
    private final ErasureSettings settings;
    private final EventSettings events;
    private final Clock clock;

    /** For the CDI client proxy only. */
    protected ErasureSteps() {
        this(null, null, null, null, null, null, null);
    }

    @Inject
    public ErasureSteps(ErasureGraph graph, IdempotencyRedaction keys, ScoreRepository scores, ScoreCache cache,
                        ErasureSettings settings, EventSettings events, Clock clock) {
        this.graph = graph;
        this.keys = keys;
        this.scores = scores;
        this.cache = cache;
        this.settings = settings;
        this.events = events;
        this.clock = clock;
    }

    public Outcome run(ErasureStep step, ErasureRequest request, Map<ErasureStep, String> findings, Guard guard) {
        return switch (step) {
            case IDEMPOTENCY_KEYS -> idempotencyKeys(request, guard);
            case SIGNALS -> signals(request, guard);
            case SCORE -> score(request, findings);
            case CACHE -> cache(request);
            case EVENTS -> events(findings);
            case AUDIT -> throw new IllegalArgumentException("the audit is the worker's");
        };
    }

    /**
     * A subject: its signals' provenance ids, page by page, and the answers naming them. The
     * whole tenant: its keys are deleted (an off-boarded tenant retries nothing).
     */
    private Outcome idempotencyKeys(ErasureRequest request, Guard guard) {
        TenantId tenant = request.tenant();
        ErasureSubject subject = request.erasureSubject();
        if (subject.wholeTenant()) {
            long deleted = 0;
            int batch;
            do {
                guard.beforeBatch(0);
                batch = keys.deleteTenantKeys(tenant, settings.batch());
                deleted += batch;
            } while (batch == settings.batch());
            return done(Json.createObjectBuilder().add("keysDeleted", deleted).add("answersRedacted", 0));
        }
        long examined = 0;
        long redacted = 0;
        String after = "";
        while (true) {
            guard.beforeBatch(0);
            List<String> ids = graph.provenanceIds(tenant, subject, after, settings.batch());
            if (ids.isEmpty()) {
                break;
            }
            examined += ids.size();
            redacted += keys.redact(tenant, ids);
            after = ids.get(ids.size() - 1);
            if (ids.size() < settings.batch()) {
                break;
            }
        }
        return done(Json.createObjectBuilder().add("keysDeleted", 0).add("answersRedacted", redacted)
                .add("signalsExamined", examined));
    }

    /** Batches until one comes back short; the graph keeps the exact progress. */
    private Outcome signals(ErasureRequest request, Guard guard) {
        TenantId tenant = request.tenant();
        ErasureSubject subject = request.erasureSubject();
        int erased;
        do {
            guard.beforeBatch(graph.progress(request.id()).erased());
            erased = graph.eraseBatch(request.id(), tenant, subject, request.scope(), settings.batch(), clock.instant());
        } while (erased == settings.batch());
        ErasureGraph.Progress progress = graph.progress(request.id());
        long after = graph.count(tenant, subject, request.scope());
        return done(Json.createObjectBuilder()
                .add("action", request.scope() == ErasureScope.DELETE ? "deleted" : "minimized")
                .add("before", progress.before())
                .add("erased", progress.erased())
                .add("after", after)
                .add("batches", progress.batches())
                .add("ledgerEntries", progress.batches())
                .add("provenanceDigest", progress.digest())
                .add("finishedAt", clock.instant().toString()));
    }

    /**
     * Off-boarding by deletion removes the score (PostgreSQL row and graph projection). Otherwise
     * the score is marked stale and the step waits for a score computed after the signals step
     * finished, at most {@code scoreWait}; then it records it as marked only (the materializer
     * recomputes it whenever it runs again).
     */
    private Outcome score(ErasureRequest request, Map<ErasureStep, String> findings) {
        TenantId tenant = request.tenant();
        if (request.erasureSubject().wholeTenant() && request.scope() == ErasureScope.DELETE) {
            boolean removed = scores.delete(tenant, clock.instant());
            graph.removeScore(tenant);
            return done(Json.createObjectBuilder().add("action", "removed").add("rowRemoved", removed));
        }
        Instant signalsDone = signalsFinishedAt(findings);
        Optional<CoherenceScore> score = scores.find(tenant);
        if (score.isPresent() && score.get().updatedAt().isAfter(signalsDone)) {
            return done(Json.createObjectBuilder().add("action", "recomputed")
                    .add("score", score.get().score())
                    .add("status", score.get().status().name())
                    .add("updatedAt", score.get().updatedAt().toString()));
        }
        Instant now = clock.instant();
        if (now.isAfter(signalsDone.plus(settings.scoreWait()))) {
            graph.markForRescoring(tenant);
            return done(Json.createObjectBuilder().add("action", "marked for recomputation"));
        }
        graph.markForRescoring(tenant);
        return new Wait(now.plusSeconds(1), "waiting for the materializer to recompute the score");
    }

    private Outcome cache(ErasureRequest request) {
        cache.evict(request.tenant());
        return done(Json.createObjectBuilder().add("action", "evicted"));
    }

    /**
     * Events committed before the signals went may still sit in a reorder or coalescing buffer
     * of some replica, for at most those windows; the request completes only once they passed.
     */
    private Outcome events(Map<ErasureStep, String> findings) {
        Instant settled = signalsFinishedAt(findings).plus(events.reorderWindow()).plus(events.coalesceWindow())
                .plus(settings.eventSettle());
        if (clock.instant().isBefore(settled)) {
            return new Wait(settled, "waiting for events held in buffers to go out");
        }
        return done(Json.createObjectBuilder().add("action", "buffers drained").add("settledAt", settled.toString()));
    }

    /** Drops the request's progress in the graph once its audit is stored; left for later if that fails. */
    public void forgetProgress(java.util.UUID request) {
        try {
            graph.forgetProgress(request);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "the erasure progress of " + request + " stays in the graph (no personal data)", e);
        }
    }

    private static Instant signalsFinishedAt(Map<ErasureStep, String> findings) {
        return Instant.parse(AuditPackage.finding(findings, ErasureStep.SIGNALS).getString("finishedAt"));
    }

    private static Done done(jakarta.json.JsonObjectBuilder findings) {
        return new Done(findings.build().toString());
    }
}
