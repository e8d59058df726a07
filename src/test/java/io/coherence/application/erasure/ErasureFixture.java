package io.coherence.application.erasure;

import io.coherence.application.events.EventSettings;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.domain.erasure.AuditSigner;
import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreCache;
import io.coherence.domain.score.ScoreRepository;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.MovableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The erasure service and worker over in-memory fakes of every port they use. */
final class ErasureFixture {

    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    static final String TENANT = "acme";

    final MovableClock clock = new MovableClock(T0);
    final InMemoryErasureRequestStore store = new InMemoryErasureRequestStore(clock);
    final InMemoryErasureGraph graph = new InMemoryErasureGraph();
    final Set<String> held = ConcurrentHashMap.newKeySet();
    final Map<String, String> idempotencyAnswers = new HashMap<>();
    final Set<String> tenantKeys = new HashSet<>();
    final Map<String, CoherenceScore> scores = new HashMap<>();
    final Set<String> scoreRowsDeleted = new HashSet<>();
    final List<String> evicted = new ArrayList<>();
    final List<UUID> queuedEvents = new ArrayList<>();
    final List<String> signed = new ArrayList<>();
    boolean signerConfigured = true;
    final ErasureSettings settings = new ErasureSettings(2, Duration.ofMinutes(1), Duration.ofSeconds(10), 3,
            Duration.ofMinutes(10), Duration.ofSeconds(2));
    final ErasureMetrics metrics = new ErasureMetrics(null, clock);

    final IdempotencyRedaction keys = new IdempotencyRedaction() {
        @Override
        public int redact(TenantId tenant, java.util.Collection<String> provenanceIds) {
            int n = 0;
            for (Map.Entry<String, String> e : idempotencyAnswers.entrySet()) {
                String answer = e.getValue();
                for (String id : provenanceIds) {
                    answer = answer.replace(id, "erased");
                }
                if (!answer.equals(e.getValue())) {
                    e.setValue(answer);
                    n++;
                }
            }
            return n;
        }

        @Override
        public int deleteTenantKeys(TenantId tenant, int limit) {
            List<String> batch = tenantKeys.stream().limit(limit).toList();
            batch.forEach(tenantKeys::remove);
            return batch.size();
        }
    };

    final ScoreRepository scoreRepository = new ScoreRepository() {
        @Override
        public boolean upsert(CoherenceScore score) {
            scores.put(score.tenant().value(), score);
            return true;
        }

        @Override
        public Optional<CoherenceScore> find(TenantId tenant) {
            return Optional.ofNullable(scores.get(tenant.value()));
        }

        @Override
        public boolean delete(TenantId tenant, Instant notAfter) {
            scoreRowsDeleted.add(tenant.value());
            return scores.remove(tenant.value()) != null;
        }
    };

    final ScoreCache cache = new ScoreCache() {
        @Override
        public Optional<CoherenceScore> get(TenantId tenant) {
            return Optional.empty();
        }

        @Override
        public void put(CoherenceScore score) {
        }

        @Override
        public void evict(TenantId tenant) {
            evicted.add(tenant.value());
        }
    };

    final AuditSigner signer = new AuditSigner() {
        @Override
        public String sign(String payload) {
            signed.add(payload);
            return "eyJhbGciOiJSUzI1NiJ9." + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
        }

        @Override
        public String keyId() {
            return "test-key";
        }

        @Override
        public boolean available() {
            return signerConfigured;
        }
    };

    final ErasureSteps steps = new ErasureSteps(graph, keys, scoreRepository,
            cache, settings, new EventSettings(Duration.ofMillis(50), Duration.ZERO, 1000, 1000), clock);

    final LegalHolds holds = new LegalHolds(tenant -> held.contains(tenant.value()));

    final ErasureService service = new ErasureService(store, holds, signer,
            new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US), clock, metrics,
            queued -> queuedEvents.add(queued.id()));

    ErasureWorker worker() {
        return new ErasureWorker(store, steps, holds, signer, settings, clock, metrics);
    }

    static Caller admin(String tenant) {
        return new Caller("ops", Optional.of(tenant), Set.of("coherence:admin"));
    }

    ErasureRequest stored(UUID id) {
        return store.row(id).request;
    }

    /** What the materializer does: a score computed now, after the erasure. */
    void materialize(String tenant) {
        scores.put(tenant, new CoherenceScore(TenantId.of(tenant), 0.5, ScoreStatus.WARN, clock.instant()));
    }

    /** Runs the worker, then moves time and materializes until nothing is pending; at most ten rounds. */
    void runToEnd(ErasureWorker worker) {
        for (int i = 0; i < 10 && store.oldestPending().isPresent(); i++) {
            worker.runDue();
            clock.advance(Duration.ofSeconds(11));
            materialize(TENANT);
        }
    }
}
