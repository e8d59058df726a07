package io.coherence.application.erasure;

import static io.coherence.application.erasure.ErasureFixture.TENANT;
import static io.coherence.application.erasure.ErasureFixture.admin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureStep;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.tenant.TenantId;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErasureWorkerTest {

    private final ErasureFixture f = new ErasureFixture();
    private final ErasureWorker worker = f.worker();
    private final List<String> subjectPids = new ArrayList<>();
    private final List<String> otherPids = new ArrayList<>();

    @BeforeEach
    void twoSourcesWithAnswersAndAScore() {
        for (int i = 0; i < 5; i++) {
            subjectPids.add(f.graph.add(TENANT, "device-7", 0.1 * i).provenanceId);
        }
        for (int i = 0; i < 3; i++) {
            otherPids.add(f.graph.add(TENANT, "device-8", 0.9).provenanceId);
        }
        f.graph.add("other-tenant", "device-7", 0.5);
        f.idempotencyAnswers.put("k1", "{\"items\":[{\"signalId\":\"sig-0\",\"provenanceId\":\"" + subjectPids.get(0) + "\"}]}");
        f.idempotencyAnswers.put("k2", "{\"items\":[{\"signalId\":\"sig-5\",\"provenanceId\":\"" + otherPids.get(0) + "\"}]}");
        f.tenantKeys.addAll(List.of("k1", "k2", "k3"));
        f.scores.put(TENANT, new CoherenceScore(TenantId.of(TENANT), 0.6, ScoreStatus.WARN, ErasureFixture.T0.minusSeconds(60)));
    }

    private ErasureRequest request(String subject, ErasureScope scope) {
        return f.service.requestErasure(admin(TENANT), TENANT, subject, scope);
    }

    @Test
    void deletingASourceReachesEveryStoreLeavesTheOthersAndSignsTheAudit() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);

        f.runToEnd(worker);

        ErasureRequest done = f.stored(r.id());
        assertThat(done.status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(done.affected()).isEqualTo(5);
        assertThat(done.subject()).isNull();
        assertThat(f.graph.of(TENANT, "device-7")).isEmpty();
        assertThat(f.graph.of(TENANT, "device-8")).hasSize(3);
        assertThat(f.graph.of("other-tenant", "device-7")).hasSize(1);
        assertThat(f.idempotencyAnswers.get("k1")).doesNotContain(subjectPids.get(0)).contains("erased");
        assertThat(f.idempotencyAnswers.get("k2")).contains(otherPids.get(0));
        assertThat(f.graph.ledger).hasSize(3).allSatisfy(e -> assertThat(e.summary()).doesNotContain("device-7"));
        assertThat(f.graph.rescored).contains(TENANT);
        assertThat(f.evicted).containsExactly(TENANT);
        assertThat(f.graph.progress).isEmpty();

        JsonObject audit = json(done.auditPackage());
        assertThat(done.auditPackage()).doesNotContain("device-7");
        assertThat(audit.getString("subjectSha256")).isEqualTo(new ErasureSubject("device-7").sha256());
        assertThat(audit.getString("scope")).isEqualTo("DELETE");
        assertThat(audit.getInt("affected")).isEqualTo(5);
        JsonObject signals = audit.getJsonObject("stores").getJsonObject("neo4j.signals");
        assertThat(signals.getInt("before")).isEqualTo(5);
        assertThat(signals.getInt("after")).isZero();
        assertThat(signals.getInt("ledgerEntries")).isEqualTo(3);
        assertThat(audit.getJsonObject("stores").getJsonObject("postgresql.idempotency_keys").getInt("answersRedacted")).isEqualTo(1);
        assertThat(audit.getJsonObject("stores").getJsonObject("postgresql.coherence_scores").getString("action")).isEqualTo("recomputed");
        assertThat(f.signed).containsExactly(done.auditPackage());
        String payload = done.auditSignature().split("\\.")[1];
        assertThat(new String(Base64.getUrlDecoder().decode(payload))).isEqualTo(done.auditPackage());
    }

    @Test
    void minimizingKeepsWhatTheScoreNeedsAndRemovesTheSource() {
        ErasureRequest r = request("device-7", ErasureScope.MINIMIZE);

        f.runToEnd(worker);

        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(f.graph.of(TENANT, "device-7")).isEmpty();
        List<InMemoryErasureGraph.StoredSignal> minimized = f.graph.of(TENANT, "erased");
        assertThat(minimized).hasSize(5).allSatisfy(s -> assertThat(s.provenanceId).isNotIn(subjectPids));
        assertThat(minimized).extracting(s -> s.value).containsExactlyInAnyOrder(0.0, 0.1, 0.2, 0.30000000000000004, 0.4);
        assertThat(f.graph.of(TENANT, "device-8")).hasSize(3);
        assertThat(json(f.stored(r.id()).auditPackage()).getJsonObject("stores").getJsonObject("neo4j.signals")
                .getString("action")).isEqualTo("minimized");
    }

    @Test
    void offBoardingDeletesEverySignalKeyAndTheScoreWithoutWaitingForTheMaterializer() {
        ErasureRequest r = request("*", ErasureScope.DELETE);

        worker.runDue();
        f.clock.advance(Duration.ofSeconds(3));
        worker.runDue();

        ErasureRequest done = f.stored(r.id());
        assertThat(done.status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(done.subjectId()).isEqualTo("*");
        assertThat(done.affected()).isEqualTo(8);
        assertThat(f.graph.signals).extracting(s -> s.tenant).containsOnly("other-tenant");
        assertThat(f.tenantKeys).isEmpty();
        assertThat(f.scoreRowsDeleted).containsExactly(TENANT);
        assertThat(f.graph.scoresRemoved).containsExactly(TENANT);
    }

    @Test
    void aHoldSetAfterQueueingRefusesTheRequestAndErasesNothing() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        f.held.add(TENANT);

        f.runToEnd(worker);

        ErasureRequest refused = f.stored(r.id());
        assertThat(refused.status()).isEqualTo(ErasureStatus.REFUSED);
        assertThat(refused.reason()).contains("legal hold");
        assertThat(f.graph.of(TENANT, "device-7")).hasSize(5);
        assertThat(f.idempotencyAnswers.get("k1")).contains(subjectPids.get(0));
        assertThat(f.graph.ledger).isEmpty();
        assertThat(f.signed).isEmpty();
    }

    @Test
    void aHoldSetDuringTheErasureStopsItAtTheNextBatch() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        f.graph.afterBatch = () -> f.held.add(TENANT);

        f.runToEnd(worker);

        ErasureRequest refused = f.stored(r.id());
        assertThat(refused.status()).isEqualTo(ErasureStatus.REFUSED);
        assertThat(refused.reason()).contains("2 signals had been erased");
        assertThat(f.graph.of(TENANT, "device-7")).hasSize(3);
    }

    @Test
    void aWorkerThatDiesMidStepLeavesTheRequestToAnotherAfterTheLeaseWhichResumesExactly() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        f.graph.crashBatch = 2;

        assertThatThrownBy(worker::runDue).isInstanceOf(InMemoryErasureGraph.Crash.class);
        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.RUNNING);
        assertThat(f.stored(r.id()).step()).isEqualTo(ErasureStep.SIGNALS);
        assertThat(f.graph.of(TENANT, "device-7")).hasSize(3);

        ErasureWorker otherReplica = f.worker();
        assertThat(otherReplica.runDue()).as("the dead worker's lease still holds").isZero();
        f.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        f.runToEnd(otherReplica);

        ErasureRequest done = f.stored(r.id());
        assertThat(done.status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(done.affected()).isEqualTo(5);
        assertThat(f.graph.ledger).hasSize(3);
        JsonObject signals = json(done.auditPackage()).getJsonObject("stores").getJsonObject("neo4j.signals");
        assertThat(signals.getInt("before")).isEqualTo(5);
        assertThat(signals.getInt("batches")).isEqualTo(3);
    }

    @Test
    void aCrashBetweenStepsResumesAtTheStoredStepAndRunsNoStepTwice() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        worker.runDue();
        // The score step waits for the materializer; the request is back in the queue at SCORE.
        assertThat(f.stored(r.id()).step()).isEqualTo(ErasureStep.SCORE);
        int answersBefore = f.idempotencyAnswers.hashCode();
        int ledgerBefore = f.graph.ledger.size();

        f.clock.advance(Duration.ofSeconds(5));
        f.materialize(TENANT);
        f.runToEnd(f.worker());

        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(f.graph.ledger).hasSize(ledgerBefore);
        assertThat(f.idempotencyAnswers.hashCode()).isEqualTo(answersBefore);
    }

    @Test
    void everyStepRunAgainChangesNothingMore() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        ErasureRequest running = f.store.claim("t", Duration.ofMinutes(1)).orElseThrow().request();
        Map<ErasureStep, String> findings = new java.util.EnumMap<>(ErasureStep.class);
        ErasureSteps.Guard none = erased -> { };
        for (ErasureStep step : List.of(ErasureStep.IDEMPOTENCY_KEYS, ErasureStep.SIGNALS)) {
            String first = ((ErasureSteps.Done) f.steps.run(step, running, findings, none)).findings();
            String answers = f.idempotencyAnswers.toString();
            int signals = f.graph.signals.size();
            int ledger = f.graph.ledger.size();
            String again = ((ErasureSteps.Done) f.steps.run(step, running, findings, none)).findings();
            assertThat(f.idempotencyAnswers.toString()).isEqualTo(answers);
            assertThat(f.graph.signals).hasSize(signals);
            assertThat(f.graph.ledger).hasSize(ledger);
            assertThat(withoutTimes(again)).as(step.name()).isEqualTo(withoutTimes(first)
                    .replace("\"answersRedacted\":1", "\"answersRedacted\":0"));
            findings.put(step, first);
        }
        f.clock.advance(Duration.ofSeconds(5));
        f.materialize(TENANT);
        for (ErasureStep step : List.of(ErasureStep.SCORE, ErasureStep.CACHE, ErasureStep.EVENTS)) {
            ErasureSteps.Outcome first = f.steps.run(step, running, findings, none);
            ErasureSteps.Outcome again = f.steps.run(step, running, findings, none);
            assertThat(again).as(step.name()).isEqualTo(first).isInstanceOf(ErasureSteps.Done.class);
        }
        assertThat(f.graph.of(TENANT, "device-7")).isEmpty();
        assertThat(r.id()).isEqualTo(running.id());
    }

    @Test
    void twoWorkersNeverHoldOneRequest() {
        request("device-7", ErasureScope.DELETE);
        ErasureRequestStore.Claim held = f.store.claim("replica-a", Duration.ofMinutes(1)).orElseThrow();

        assertThat(f.worker().runDue()).isZero();
        assertThat(f.store.claim("replica-b", Duration.ofMinutes(1))).isEmpty();
        f.clock.advance(Duration.ofMinutes(2));
        assertThat(f.store.claim("replica-b", Duration.ofMinutes(1))).isPresent();
        // The first holder's writes no longer land.
        assertThat(f.store.renew(held.request().id(), "replica-a", Duration.ofMinutes(1))).isFalse();
        assertThat(f.store.advance(held.request().id(), "replica-a", ErasureStep.IDEMPOTENCY_KEYS, "{}",
                ErasureStep.SIGNALS, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void aRequestThatKeepsFailingEndsFailedAfterItsAttemptsKeepingOnlyTheHash() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        f.graph.failAlways = true;

        f.runToEnd(worker);

        ErasureRequest failed = f.stored(r.id());
        assertThat(failed.status()).isEqualTo(ErasureStatus.FAILED);
        assertThat(failed.reason()).contains("3 attempts").contains("SIGNALS").doesNotContain("device-7");
        assertThat(failed.subject()).isNull();
    }

    @Test
    void aRequestWhoseSigningKeyWentAwayWaitsErasedAndTheGaugeSeesItAge() {
        ErasureRequest r = request("device-7", ErasureScope.DELETE);
        f.signerConfigured = false;

        f.runToEnd(worker);
        worker.runDue();

        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.RUNNING);
        assertThat(f.stored(r.id()).step()).isEqualTo(ErasureStep.AUDIT);
        assertThat(f.metrics.oldestPendingAgeSeconds()).isGreaterThanOrEqualTo(100);

        f.signerConfigured = true;
        f.clock.advance(Duration.ofSeconds(11));
        worker.runDue();
        assertThat(f.stored(r.id()).status()).isEqualTo(ErasureStatus.COMPLETED);
        assertThat(f.metrics.oldestPendingAgeSeconds()).isZero();
    }

    private static String withoutTimes(String findings) {
        return findings.replaceAll("\"finishedAt\":\"[^\"]*\"", "");
    }

    private static JsonObject json(String text) {
        try (var reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
