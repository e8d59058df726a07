package io.coherence.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.scoring.MaterializerMetrics.Attempt;
import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.GraphQLDocuments;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.PersistedDocuments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas (two Liberty servers of the WAR, {@link ReplicaSet}) on the shared engines: events
 * cross from one to the other in order and once, the materializer runs on one at a time and the
 * other takes over from a killed one, the rate limits are the deployment's, and persisted queries,
 * idempotency keys and the feature flag answer alike on both. Every test starts with both running
 * (a killed one is started again); the kill comes last so that a plain run restarts nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Well above the materializer's interval and lock lease; the measured figure is printed. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(30);
    private static final String MATERIALIZER_ATTEMPTS = "materializer_attempts_total";
    /** PostgresAdvisoryLock.MATERIALIZER_LOCK_KEY, as pg_locks shows it (objid). */
    private static final long MATERIALIZER_LOCK_KEY = 0x436f6865L;

    private static ReplicaSet replicas;
    private static ReplicaServer a;
    private static ReplicaServer b;
    private static long classStarted;

    @BeforeAll
    static void startTwoReplicas() {
        classStarted = System.nanoTime();
        replicas = ReplicaSet.start(Map.of(
                "COHERENCE_MATERIALIZER_INTERVAL", "PT1S",
                // The shortest Liberty allows: a persistent timer held by a killed replica moves on sooner.
                "TIMER_MISSED_TASK_THRESHOLD", "100s"), "A", "B");
        a = replicas.get("A");
        b = replicas.get("B");
        System.out.println("[replicas] " + a + " and " + b + " ready " + replicas.startTime().toMillis()
                + " ms after launch (in parallel)");
    }

    @AfterAll
    static void stopReplicas() {
        if (replicas != null) {
            replicas.close();
        }
        System.out.println("[replicas] the class took " + Duration.ofNanos(System.nanoTime() - classStarted).toSeconds() + " s");
    }

    @BeforeEach
    void bothReplicasRun() {
        replicas.restartStopped();
    }

    @Test
    @Order(1)
    void aSubscriberOnOneReplicaGetsEverySignalOfConcurrentWritersOnBothOnceInOrderAndTheMaterializedScore()
            throws Exception {
        String tenant = tenant("events");
        String token = a.api().token(tenant, CoherenceClient.READ_WRITE);
        int perWriter = 20;
        List<ReplicaServer> writers = List.of(b, b, a);
        int total = perWriter * writers.size();
        try (GraphQLWsClient ws = GraphQLWsClient.ready(a.api().subscriptions(), token)) {
            ws.subscribe("events", "subscribe-signals.graphql", Map.of("t", tenant));
            ws.subscribe("scores", "subscribe-scores.graphql", Map.of("t", tenant));
            assertThat(ws.drainUntilPong(WAIT)).as("nothing before the first commit").isEmpty();

            // Each writer sends its own values one request at a time, all writers at once.
            ExecutorService pool = Executors.newFixedThreadPool(writers.size());
            List<List<Double>> sent = new ArrayList<>();
            try {
                List<CompletableFuture<Void>> writing = new ArrayList<>();
                for (int w = 0; w < writers.size(); w++) {
                    List<Double> values = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        values.add((w * perWriter + i + 1) / 1000.0);
                    }
                    sent.add(values);
                    ReplicaServer writer = writers.get(w);
                    writing.add(CompletableFuture.runAsync(() -> values.forEach(v -> {
                        HttpResponse<String> answer = writer.api().ingest(signal(tenant, v), token);
                        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                    }), pool));
                }
                CompletableFuture.allOf(writing.toArray(CompletableFuture[]::new)).join();
            } finally {
                pool.shutdownNow();
            }

            List<JsonObject> events = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            while (events.size() < total) {
                take(ws.next(WAIT), events, scores);
            }
            assertThat(events).extracting(e -> e.getJsonNumber("sequence").longValue())
                    .as("every sequence once, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            List<Double> received = events.stream().map(e -> e.getJsonNumber("value").doubleValue()).toList();
            assertThat(received).containsExactlyInAnyOrderElementsOf(sent.stream().flatMap(List::stream).toList());
            for (List<Double> writer : sent) {
                assertThat(received).as("each writer's signals in the order it sent them").containsSubsequence(writer);
            }

            double mean = sent.stream().flatMap(List::stream).mapToDouble(Double::doubleValue).average().orElseThrow();
            Map<String, Double> read = new LinkedHashMap<>();
            Eventually.await("both replicas read the score the subscriber was sent last", WAIT, () -> {
                for (JsonObject m : ws.drainUntilPong(WAIT)) {
                    take(m, events, scores);
                }
                read.put("A", score(a, tenant, token));
                read.put("B", score(b, tenant, token));
                return !scores.isEmpty() && Math.abs(read.get("A") - mean) < 0.006 && read.get("A").equals(read.get("B"))
                        && read.get("A").equals(scores.get(scores.size() - 1));
            });
            assertThat(events).as("no signal event twice").hasSize(total);
            System.out.println("[replicas] " + total + " signals (" + perWriter + " on A, " + (total - perWriter)
                    + " on B) reached the subscriber on A once each, in sequence order; score " + read.get("A")
                    + " after " + scores.size() + " score events");
        }
    }

    @Test
    @Order(2)
    void theTenantAndGlobalRateLimitsHoldForBothReplicasTogether() throws Exception {
        int burst = 10;
        try (AutoCloseable lowA = a.setVariables("rate-tenant", Map.of("COHERENCE_TENANT_RPS", "1", "COHERENCE_TENANT_BURST", "10"));
             AutoCloseable lowB = b.setVariables("rate-tenant", Map.of("COHERENCE_TENANT_RPS", "1", "COHERENCE_TENANT_BURST", "10"))) {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " limits a tenant to " + burst + " then 1/s", Duration.ofSeconds(60),
                        () -> refusedAfter(r, burst));
            }
            String tenant = tenant("rate");
            String token = a.api().token(tenant, CoherenceClient.READ_WRITE);
            Burst answers = Burst.alternate(40, i -> (i % 2 == 0 ? a : b).api()
                    .graphqlRaw("k6-read.graphql", Map.of("t", tenant), token));

            long bound = burst + (long) Math.ceil(answers.seconds() * 1) + 1;
            System.out.println("[replicas] tenant limit " + burst + " + 1/s: " + answers.admitted() + " of 40 admitted in "
                    + answers.millis() + " ms over A and B (at most " + bound + "; per-replica buckets would admit about "
                    + 2 * burst + ")");
            assertThat(answers.admitted()).as("one bucket for both replicas").isBetween((long) burst, bound);
            assertRateLimited(answers.refused());
        }
        for (ReplicaServer r : List.of(a, b)) {
            Eventually.await(r.name() + " has its tenant limit back", Duration.ofSeconds(60),
                    () -> !refusedAfter(r, burst));
        }

        int global = 10;
        try (AutoCloseable lowA = a.setVariables("rate-global", Map.of("CONDUCTOR_RPS_MAX", Integer.toString(global)));
             AutoCloseable lowB = b.setVariables("rate-global", Map.of("CONDUCTOR_RPS_MAX", Integer.toString(global)))) {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " limits everyone to " + global + "/s", Duration.ofSeconds(60), () -> IntStream
                        .range(0, global + 5).map(i -> readAsNewTenant(r).statusCode()).anyMatch(s -> s == 429));
            }
            Burst answers = Burst.alternate(40, i -> readAsNewTenant(i % 2 == 0 ? a : b));

            long bound = global + (long) Math.ceil(answers.seconds() * global) + 1;
            System.out.println("[replicas] global limit " + global + "/s: " + answers.admitted() + " of 40 admitted in "
                    + answers.millis() + " ms over A and B (at most " + bound + ")");
            assertThat(answers.admitted()).as("one global bucket for both replicas").isBetween(1L, bound);
            assertRateLimited(answers.refused());
            assertThat(answers.refused().get(0).body()).contains("global requests per second");
        } finally {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " has its global limit back", Duration.ofSeconds(60),
                        () -> IntStream.range(0, global + 5).map(i -> readAsNewTenant(r).statusCode()).allMatch(s -> s == 200));
            }
        }
    }

    @Test
    @Order(3)
    void persistedQueriesInStrictModeAnswerAlikeOnBothReplicas() throws Exception {
        String tenant = tenant("pq");
        String token = a.api().token(tenant, CoherenceClient.READ_WRITE);
        String registered = PersistedDocuments.hash("pq_tenant_coherence_v1");
        String unknown = Sha256.hex("query { unknown" + UUID.randomUUID() + " }");
        String unregistered = GraphQLDocuments.load("k6-read.graphql");
        assertThat(b.api().get("/v1/persisted-queries", token).body()).as("one registry")
                .isEqualTo(a.api().get("/v1/persisted-queries", token).body());
        try (AutoCloseable strictA = a.setVariables("persisted-queries", Map.of("COHERENCE_PERSISTED_QUERIES", "strict"));
             AutoCloseable strictB = b.setVariables("persisted-queries", Map.of("COHERENCE_PERSISTED_QUERIES", "strict"))) {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " is strict", Duration.ofSeconds(60),
                        () -> persisted(r, token, unregistered, null, Map.of("t", tenant)).statusCode() == 400);
            }
            List<String> byHash = new ArrayList<>();
            for (ReplicaServer r : List.of(a, b)) {
                HttpResponse<String> run = persisted(r, token, null, registered, Map.of("tenantId", tenant));
                assertThat(run.statusCode()).as(r.name() + ": " + run.body()).isEqualTo(200);
                assertThat(CoherenceClient.json(run.body()).containsKey("errors")).as(run.body()).isFalse();
                JsonObject score = CoherenceClient.json(run.body()).getJsonObject("data").getJsonObject("tenantCoherence");
                // updatedAt of a tenant without a score is the time of the read.
                byHash.add(score.getJsonNumber("score") + " " + score.getString("status"));

                HttpResponse<String> notFound = persisted(r, token, null, unknown, Map.of("tenantId", tenant));
                assertThat(code(notFound)).as(r.name()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
                HttpResponse<String> required = persisted(r, token, unregistered, null, Map.of("t", tenant));
                assertThat(required.statusCode()).as(r.name()).isEqualTo(400);
                assertThat(code(required)).as(r.name()).isEqualTo("PERSISTED_QUERY_REQUIRED");
            }
            assertThat(byHash.get(1)).as("the same answer on B as on A").isEqualTo(byHash.get(0));
        } finally {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " is back in dev mode", Duration.ofSeconds(60),
                        () -> persisted(r, token, unregistered, null, Map.of("t", tenant)).statusCode() == 200);
            }
        }
    }

    @Test
    @Order(4)
    void anIdempotencyKeyUsedOnOneReplicaIsHonouredOnTheOther() {
        String tenant = tenant("idem");
        String token = a.api().token(tenant, CoherenceClient.READ_WRITE);
        String key = "key-" + UUID.randomUUID();
        String body = "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.4,\"source\":\"it\"}";

        HttpResponse<String> first = a.api().ingestIdempotently(body, token, key);
        HttpResponse<String> retry = b.api().ingestIdempotently(body, token, key);
        HttpResponse<String> otherBody = b.api().ingestIdempotently(body.replace("0.4", "0.9"), token, key);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        assertThat(CoherenceClient.json(retry.body())).isEqualTo(CoherenceClient.json(first.body()));
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).contains("true");
        assertThat(otherBody.statusCode()).as("the key with another body, on B: " + otherBody.body()).isEqualTo(422);
        assertThat(a.api().signalCount(tenant)).as("one signal stored").isEqualTo(1);
    }

    @Test
    @Order(5)
    void theFeatureFlagOffAnswers503OnBothReplicas() throws Exception {
        String tenant = tenant("flag");
        String token = a.api().token(tenant, CoherenceClient.READ_WRITE);
        try (AutoCloseable offA = a.setVariables("feature-flag", Map.of("v24.coherence", "false"));
             AutoCloseable offB = b.setVariables("feature-flag", Map.of("v24.coherence", "false"))) {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " reads the flag as off", Duration.ofSeconds(60), () -> r.api()
                        .graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode() == 503);
            }
            for (ReplicaServer r : List.of(a, b)) {
                HttpResponse<String> read = r.api().graphqlRaw("k6-read.graphql", Map.of("t", tenant), token);
                assertThat(code(read)).as(r.name()).isEqualTo("FEATURE_DISABLED");
                HttpResponse<String> ingest = r.api().ingest(signal(tenant, 0.5), token);
                assertThat(ingest.statusCode()).as(r.name()).isEqualTo(503);
                assertThat(CoherenceClient.json(ingest.body()).getJsonObject("error").getString("code")).isEqualTo("FEATURE_DISABLED");
                assertThat(r.api().get("/health/ready").statusCode()).as(r.name() + " stays ready").isEqualTo(200);
            }
            assertThat(a.api().signalCount(tenant)).as("nothing written on either").isZero();
        } finally {
            for (ReplicaServer r : List.of(a, b)) {
                Eventually.await(r.name() + " reads the flag as on", Duration.ofSeconds(60), () -> r.api()
                        .graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode() == 200);
            }
        }
    }

    @Test
    @Order(6)
    void aTokenForOneTenantCannotSubscribeToAnotherOnEitherReplica() {
        String mine = tenant("mine");
        String theirs = tenant("theirs");
        String token = a.api().token(mine, CoherenceClient.READ_WRITE);
        for (ReplicaServer r : List.of(b, a)) {
            try (GraphQLWsClient ws = GraphQLWsClient.ready(r.api().subscriptions(), token)) {
                ws.subscribe("theirs", "subscribe-signals.graphql", Map.of("t", theirs));
                JsonObject error = ws.next(WAIT);
                assertThat(error.getString("type")).as(r.name()).isEqualTo("error");
                assertThat(error.getJsonArray("payload").getJsonObject(0).getJsonObject("extensions").getString("code"))
                        .as(r.name()).isEqualTo("FORBIDDEN");

                // Their signals, written on the other replica, never reach this socket.
                ReplicaServer other = r == a ? b : a;
                assertThat(other.api().ingest(signal(theirs, 0.3), other.api().token(theirs, CoherenceClient.READ_WRITE))
                        .statusCode()).isEqualTo(202);
                assertThat(ws.drainUntilPong(WAIT)).as(r.name() + ": the socket stays open, with nothing of theirs").isEmpty();
            }
        }
    }

    @Test
    @Order(50)
    void aThirtySecondRedisOutageLosesNoEventForLiveOrResumingSubscribersOnTheOtherReplica() throws Exception {
        String tenant = tenant("outage");
        String token = b.api().token(tenant, CoherenceClient.READ_WRITE);
        double repairedBefore = a.metric("subscription_events_repaired_total");
        List<Long> live = new ArrayList<>();
        List<Long> resumed = new ArrayList<>();
        // Both subscriptions are in place before the first write: a live subscription starts with
        // the next event, so one that began after sequence 1 would never get it.
        try (GraphQLWsClient liveOnA = subscribedToSignals(a, tenant, token);
             GraphQLWsClient leaving = subscribedToSignals(a, tenant, token);
             Writer writer = Writer.start(b, tenant, token, Duration.ofMillis(100))) {
            writer.awaitWritten(20, WAIT);

            a.redisGate().cut();
            b.redisGate().cut();
            long cutAt = System.nanoTime();
            // Mid-outage, one subscriber leaves A and resumes on B from what it had.
            LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
            leaving.close();
            drainAfterClose(leaving, resumed);
            long resumedAfter = resumed.isEmpty() ? 0 : resumed.get(resumed.size() - 1);
            try (GraphQLWsClient resumingOnB = GraphQLWsClient.ready(b.api().subscriptions(), token)) {
                resumingOnB.subscribe("r", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", resumedAfter));
                LockSupport.parkNanos(Duration.ofSeconds(30).toNanos() - (System.nanoTime() - cutAt));
                // Nothing is written after the outage, so no later event reveals what A missed: A finds
                // it when its bridge subscribes again.
                long total = writer.stop();
                a.redisGate().restore();
                b.redisGate().restore();
                long restoredAt = System.nanoTime();

                while (live.size() < total) {
                    live.add(sequence(nextOrDiagnose(liveOnA, a, "live on A after the outage, " + live.size() + " of "
                            + total + " received, missing " + missing(live, total))));
                }
                long allLiveAt = System.nanoTime();
                while (resumed.size() < total) {
                    resumed.add(sequence(nextOrDiagnose(resumingOnB, b, "resumed on B mid-outage after " + resumedAfter
                            + ", " + resumed.size() + " of " + total + " received, missing " + missing(resumed, total))));
                }
                assertThat(liveOnA.drainUntilPong(WAIT)).as("nothing twice").isEmpty();
                assertThat(resumingOnB.drainUntilPong(WAIT)).as("nothing twice").isEmpty();
                List<Long> all = LongStream.rangeClosed(1, total).boxed().toList();
                assertThat(live).as("the live subscriber on A").containsExactlyElementsOf(all);
                assertThat(resumed).as("the one that moved to B mid-outage").containsExactlyElementsOf(all);
                double repaired = a.metric("subscription_events_repaired_total") - repairedBefore;
                assertThat(repaired).as("A read what the bridge lost back from the graph").isPositive();
                System.out.println("[replicas] Redis cut 30 s: " + total + " signals written on B; the live subscriber on A"
                        + " got all " + live.size() + " once in order (" + Math.round(repaired) + " repaired from the graph,"
                        + " the last " + Duration.ofNanos(allLiveAt - restoredAt).toMillis() + " ms after Redis came back);"
                        + " the one that moved to B after " + resumedAfter + " got all " + resumed.size());
            }
        }
    }

    @Test
    @Order(60)
    void aSubscriberWhoseReplicaIsKilledMidStreamResumesOnTheOtherWithEveryEventOnceInOrder() throws Exception {
        String tenant = tenant("killed");
        String token = b.api().token(tenant, CoherenceClient.READ_WRITE);
        List<Long> received = new ArrayList<>();
        long total;
        long last;
        try (Writer writer = Writer.start(b, tenant, token, Duration.ofMillis(10))) {
            try (GraphQLWsClient onA = GraphQLWsClient.ready(a.api().subscriptions(), token)) {
                onA.subscribe("r", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", 0));
                while (received.size() < 100) {
                    received.add(sequence(onA.next(WAIT)));
                }
                // A keeps sending while the client reads no more: at the kill, events are in flight,
                // and the resume point is the last of them the client drains, not the 100th.
                LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
                a.kill();
                drainAfterClose(onA, received);
            }
            last = received.get(received.size() - 1);
            int beforeKill = received.size();
            try (GraphQLWsClient onB = GraphQLWsClient.ready(b.api().subscriptions(), token)) {
                onB.subscribe("r", "subscribe-signals-after.graphql", Map.of("t", tenant, "after", last));
                writer.awaitWritten(writer.written() + 100, WAIT);
                total = writer.stop();
                double sentBefore = b.metric("subscription_events_sent_total");
                while (received.size() < total) {
                    received.add(sequence(nextOrDiagnose(onB, b, "resumed on B after " + last + ", " + received.size()
                            + " of " + total + " received, missing " + missing(received, total) + ", live sends on B since the resume "
                            + (b.metric("subscription_events_sent_total") - sentBefore))));
                }
                assertThat(onB.drainUntilPong(WAIT)).as("nothing twice").isEmpty();
            }
            assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            System.out.println("[replicas] kill -9 of A mid-stream: " + beforeKill + " events received on A (last "
                    + last + "), then resumed on B with after: " + last + "; " + total + " signals, all received once"
                    + " in order");
        }
    }

    @Test
    @Order(100)
    void theMaterializerRunsOnOneReplicaAtATimeAndTheOtherTakesOverAfterAKill() {
        Map<ReplicaServer, Map<Attempt, Double>> before = new HashMap<>();
        for (ReplicaServer r : List.of(a, b)) {
            before.put(r, attempts(r));
        }
        // Both tick every second; a tick that comes while the other replica runs finds the lock held.
        Eventually.await("both replicas ticked a few times and the lock turned one away", WAIT, () -> List.of(a, b).stream()
                .allMatch(r -> delta(r, before.get(r), Attempt.RAN) + delta(r, before.get(r), Attempt.LOCK_HELD) >= 5)
                && delta(a, before.get(a), Attempt.LOCK_HELD) + delta(b, before.get(b), Attempt.LOCK_HELD) >= 1);
        Map<ReplicaServer, Map<Attempt, Double>> after = new HashMap<>();
        for (ReplicaServer r : List.of(a, b)) {
            after.put(r, attempts(r));
        }
        for (ReplicaServer r : List.of(a, b)) {
            System.out.println("[replicas] " + r.name() + ": ran " + change(before, after, r, Attempt.RAN) + ", lock held by the other "
                    + change(before, after, r, Attempt.LOCK_HELD) + ", blocked " + change(before, after, r, Attempt.BLOCKED));
        }
        assertThat(change(before, after, a, Attempt.BLOCKED) + change(before, after, b, Attempt.BLOCKED)).isZero();
        assertThat(change(before, after, a, Attempt.RAN) + change(before, after, b, Attempt.RAN)).isPositive();

        ReplicaServer victim = change(before, after, a, Attempt.RAN) >= change(before, after, b, Attempt.RAN) ? a : b;
        ReplicaServer survivor = victim == a ? b : a;
        String tenant = tenant("takeover");
        String token = survivor.api().token(tenant, CoherenceClient.READ_WRITE);
        double survivorRuns = survivor.metric(MATERIALIZER_ATTEMPTS, "outcome=\"ran\"");
        double survivorTurnedAway = survivor.metric(MATERIALIZER_ATTEMPTS, "outcome=\"lock_held\"");

        long killed = System.nanoTime();
        victim.kill();
        assertThat(survivor.api().ingest(signal(tenant, 0.4), token).statusCode()).isEqualTo(202);
        // Who held the materializer's lock while the score was awaited, each change of holder once.
        List<String> holders = new ArrayList<>();
        try {
            Eventually.await("the survivor materialized the new signal's score", TAKEOVER_BOUND, () -> {
                String holder = materializerLockHolder();
                if (holders.isEmpty() || !holders.get(holders.size() - 1).equals(holder)) {
                    holders.add(holder);
                }
                return score(survivor, tenant, token) == 0.4;
            });
        } catch (AssertionError e) {
            throw new AssertionError(survivor.diagnose("no takeover after the kill of " + victim.name() + ": "
                    + e.getMessage() + "; materializer lock holders meanwhile: " + holders
                    + "; advisory locks in PostgreSQL: " + advisoryLocks()), e);
        }
        Duration takeover = Duration.ofNanos(System.nanoTime() - killed);

        // With the whole suite's tenants in the shared graph (CI), a run takes longer: a score waits for the run going on.
        System.out.println("[replicas] kill -9 of " + victim.name() + " -> first score materialized by " + survivor.name()
                + ": " + takeover.toMillis() + " ms (" + survivor.name() + "'s runs: p95 "
                + Math.round(1000 * survivor.metric("materializer_run_duration_seconds", "quantile=\"0.95\"")) + " ms, max "
                + Math.round(1000 * survivor.metric("materializer_run_duration_seconds_max")) + " ms; lock holders meanwhile "
                + holders + ", turned away by the lock "
                + Math.round(survivor.metric(MATERIALIZER_ATTEMPTS, "outcome=\"lock_held\"") - survivorTurnedAway) + " times)");
        // Counted once the run returned, just after the score it stored became readable.
        Eventually.await("the survivor counted the run", WAIT,
                () -> survivor.metric(MATERIALIZER_ATTEMPTS, "outcome=\"ran\"") > survivorRuns);
        assertThat(takeover).isLessThan(TAKEOVER_BOUND);
    }

    /** Who holds which advisory lock, and what that session does, as PostgreSQL sees it now. */
    private static String advisoryLocks() {
        return locks("").toString();
    }

    /**
     * Who holds the materializer's lock now: the replica's name (the Arquillian test server, when
     * the whole suite runs, is "PostgreSQL JDBC Driver"), or "nobody".
     */
    private static String materializerLockHolder() {
        List<String> held = locks(" AND l.granted AND l.objid = " + MATERIALIZER_LOCK_KEY).stream()
                .map(row -> row.substring(0, row.indexOf(" (objid"))).toList();
        return held.isEmpty() ? "nobody" : String.join(", ", held);
    }

    private static List<String> locks(String condition) {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        try (Connection c = DriverManager.getConnection(engines.postgresJdbcUrl(), engines.postgresUser(),
                engines.postgresPassword());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT l.objid, l.granted, a.application_name, a.pid, a.state,"
                     + " now() - a.state_change FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                     + " WHERE l.locktype = 'advisory'" + condition)) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(3) + " (objid " + rs.getLong(1) + (rs.getBoolean(2) ? "" : " waiting") + ", pid "
                        + rs.getInt(4) + ", " + rs.getString(5) + " for " + rs.getString(6) + ")");
            }
            return rows;
        } catch (SQLException e) {
            return List.of("unreadable (objid ?): " + e.getMessage());
        }
    }

    private static Map<Attempt, Double> attempts(ReplicaServer r) {
        Map<Attempt, Double> counts = new HashMap<>();
        for (Attempt attempt : Attempt.values()) {
            counts.put(attempt, r.metric(MATERIALIZER_ATTEMPTS, "outcome=\"" + attempt.label() + "\""));
        }
        return counts;
    }

    private static double delta(ReplicaServer r, Map<Attempt, Double> before, Attempt attempt) {
        return r.metric(MATERIALIZER_ATTEMPTS, "outcome=\"" + attempt.label() + "\"") - before.get(attempt);
    }

    private static long change(Map<ReplicaServer, Map<Attempt, Double>> before, Map<ReplicaServer, Map<Attempt, Double>> after,
                               ReplicaServer r, Attempt attempt) {
        return Math.round(after.get(r).get(attempt) - before.get(r).get(attempt));
    }

    /** A signal event's or a score event's content into its list. */
    private static void take(JsonObject message, List<JsonObject> events, List<Double> scores) {
        assertThat(message.getString("type")).as(message.toString()).isEqualTo("next");
        JsonObject data = message.getJsonObject("payload").getJsonObject("data");
        if ("events".equals(message.getString("id"))) {
            events.add(data.getJsonObject("coherenceEvents"));
        } else {
            scores.add(data.getJsonObject("coherenceScoreChanged").getJsonNumber("score").doubleValue());
        }
    }

    private static double score(ReplicaServer r, String tenant, String token) {
        JsonObject answer = r.api().graphql("k6-read.graphql", Map.of("t", tenant), token);
        return answer.getJsonObject("data").getJsonObject("tenantCoherence").getJsonNumber("score").doubleValue();
    }

    /** Whether a fresh tenant is admitted exactly {@code burst} times in a row on this replica. */
    private static boolean refusedAfter(ReplicaServer r, int burst) {
        String probe = tenant("probe");
        String token = r.api().token(probe, CoherenceClient.READ_WRITE);
        for (int i = 0; i < burst; i++) {
            if (r.api().graphqlRaw("k6-read.graphql", Map.of("t", probe), token).statusCode() != 200) {
                return false;
            }
        }
        return r.api().graphqlRaw("k6-read.graphql", Map.of("t", probe), token).statusCode() == 429;
    }

    private static HttpResponse<String> readAsNewTenant(ReplicaServer r) {
        String tenant = tenant("global");
        return r.api().graphqlRaw("k6-read.graphql", Map.of("t", tenant), r.api().token(tenant, CoherenceClient.READ_WRITE));
    }

    private static void assertRateLimited(List<HttpResponse<String>> refused) {
        assertThat(refused).isNotEmpty();
        for (HttpResponse<String> r : refused) {
            assertThat(code(r)).isEqualTo("RATE_LIMITED");
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    private static HttpResponse<String> persisted(ReplicaServer r, String token, String query, String hash,
                                                  Map<String, Object> variables) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("variables", Json.createObjectBuilder(variables));
        if (query != null) {
            body.add("query", query);
        }
        if (hash != null) {
            body.add("extensions", Json.createObjectBuilder().add("persistedQuery",
                    Json.createObjectBuilder().add("version", 1).add("sha256Hash", hash)));
        }
        return r.api().postGraphqlBody(body.build().toString(), token);
    }

    private static String code(HttpResponse<String> response) {
        return CoherenceClient.json(response.body()).getJsonArray("errors").getJsonObject(0)
                .getJsonObject("extensions").getString("code");
    }

    private static String signal(String tenant, double value) {
        return Json.createObjectBuilder().add("tenantId", tenant).add("type", "replicas").add("value", value)
                .add("source", "it").add("signalId", UUID.randomUUID().toString()).build().toString();
    }

    private static String tenant(String purpose) {
        return "it-replicas-" + purpose + "-" + UUID.randomUUID();
    }

    /** The answers of a burst of requests sent one after another, and how long it took. */
    private record Burst(List<HttpResponse<String>> answers, long nanos) {

        static Burst alternate(int count, java.util.function.IntFunction<HttpResponse<String>> request) {
            List<HttpResponse<String>> answers = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                answers.add(request.apply(i));
            }
            return new Burst(List.copyOf(answers), System.nanoTime() - started);
        }

        long admitted() {
            return answers.stream().filter(r -> r.statusCode() == 200).count();
        }

        List<HttpResponse<String>> refused() {
            return answers.stream().filter(r -> r.statusCode() == 429).toList();
        }

        double seconds() {
            return nanos / 1e9;
        }

        long millis() {
            return nanos / 1_000_000;
        }
    }

    /** The sequences from 1 to {@code total} not received, and any received twice. */
    private static String missing(List<Long> received, long total) {
        List<Long> missing = LongStream.rangeClosed(1, total).boxed().filter(s -> !received.contains(s)).toList();
        long twice = received.size() - received.stream().distinct().count();
        return missing + (twice > 0 ? " (and " + twice + " received twice)" : "");
    }

    /** The next message, or a failure naming where the server's counters and threads were written. */
    private static JsonObject nextOrDiagnose(GraphQLWsClient ws, ReplicaServer server, String what) {
        try {
            return ws.next(Duration.ofSeconds(60));
        } catch (AssertionError e) {
            throw new AssertionError(server.diagnose(what + ": " + e.getMessage()), e);
        }
    }

    /** The sequence of a coherenceEvents {@code next}. */
    private static long sequence(JsonObject message) {
        assertThat(message.getString("type")).as(message.toString()).isEqualTo("next");
        return message.getJsonObject("payload").getJsonObject("data").getJsonObject("coherenceEvents")
                .getJsonNumber("sequence").longValue();
    }

    /** What the client had already received when its socket went away. */
    private static void drainAfterClose(GraphQLWsClient ws, List<Long> into) {
        while (true) {
            JsonObject m;
            try {
                m = ws.next(Duration.ofSeconds(1));
            } catch (AssertionError | IllegalStateException e) {
                return;
            }
            if ("next".equals(m.getString("type"))) {
                into.add(sequence(m));
            }
        }
    }

    /**
     * A client with a live signal subscription on the replica, in place when this returns: the
     * server handles a connection's messages in order, so its pong comes after the subscribe took effect.
     */
    private static GraphQLWsClient subscribedToSignals(ReplicaServer on, String tenant, String token) {
        GraphQLWsClient ws = GraphQLWsClient.ready(on.api().subscriptions(), token);
        try {
            ws.subscribe("r", "subscribe-signals.graphql", Map.of("t", tenant));
            assertThat(ws.drainUntilPong(WAIT)).as("nothing before the first write").isEmpty();
            return ws;
        } catch (RuntimeException | AssertionError e) {
            ws.close();
            throw e;
        }
    }

    /** One signal per request on one replica, paced, until stopped; counts the 202s. */
    private static final class Writer implements AutoCloseable {

        private final AtomicLong written = new AtomicLong();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean stopping;
        private final Thread thread;

        private Writer(ReplicaServer on, String tenant, String token, Duration pause) {
            thread = new Thread(() -> {
                while (!stopping) {
                    try {
                        HttpResponse<String> answer = on.api().ingest(signal(tenant, (written.get() % 100) / 100.0), token);
                        if (answer.statusCode() != 202) {
                            throw new AssertionError("ingest answered " + answer.statusCode() + ": " + answer.body());
                        }
                        written.incrementAndGet();
                    } catch (Throwable e) {
                        failure.set(e);
                        return;
                    }
                    LockSupport.parkNanos(pause.toNanos());
                }
            }, "replicas-writer");
            thread.setDaemon(true);
            thread.start();
        }

        static Writer start(ReplicaServer on, String tenant, String token, Duration pause) {
            return new Writer(on, tenant, token, pause);
        }

        long written() {
            return written.get();
        }

        void awaitWritten(long count, Duration timeout) {
            Eventually.await(count + " signals written", timeout, () -> {
                if (failure.get() != null) {
                    throw new AssertionError("the writer failed", failure.get());
                }
                return written.get() >= count;
            });
        }

        /** Stops writing and returns how many signals were acknowledged. */
        long stop() throws InterruptedException {
            stopping = true;
            thread.join(WAIT.toMillis());
            if (failure.get() != null) {
                throw new AssertionError("the writer failed", failure.get());
            }
            return written.get();
        }

        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.join(WAIT.toMillis());
        }
    }
}
