package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.TcpGate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.Node;

import java.math.BigDecimal;
import java.math.MathContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

class Neo4jSignalRepositoryIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private static Driver driver;
    private static Neo4jSignalRepository repository;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void connect() {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        driver = engines.neo4jDriver();
        repository = new Neo4jSignalRepository(driver);
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    private static TenantId freshTenant() {
        return TenantId.of("it-" + UUID.randomUUID());
    }

    private static Signal signal(TenantId tenant, String signalId, Instant ts, double value, double weight,
                                 String provenanceId) {
        return new Signal(new SignalIdentity(tenant, "probe-1", signalId, ts), "latency", value, weight,
                new Provenance(provenanceId, "hash-" + provenanceId, "http", TAGS));
    }

    private Signal signal(TenantId tenant, String signalId, String provenanceId) {
        return signal(tenant, signalId, now, 0.5, 1.0, provenanceId);
    }

    private static List<Record> query(String cypher, Map<String, Object> parameters) {
        try (var session = driver.session()) {
            return session.run(cypher, parameters).list();
        }
    }

    private static long count(String cypher, TenantId tenant) {
        return query(cypher, Map.of("tenantId", tenant.value())).get(0).get(0).asLong();
    }

    private static long signalNodes(TenantId tenant) {
        return count("MATCH (s:Signal {tenant_id: $tenantId}) RETURN count(s)", tenant);
    }

    private static Value tenantNode(TenantId tenant, String property) {
        return query("MATCH (t:Tenant {tenant_id: $tenantId}) RETURN t[$property] AS v",
                Map.of("tenantId", tenant.value(), "property", property)).get(0).get("v");
    }

    @Test
    void savedSignalsHangOffTheirTenantWithTheirProvenance() {
        TenantId tenant = freshTenant();
        Signal signal = new Signal(new SignalIdentity(tenant, "probe-7", "sig-1", now), "errors", 0.25, 2.5,
                new Provenance("prov-1", "a".repeat(64), "graphql", TAGS));

        List<WriteOutcome> outcomes = repository.saveAll(List.of(signal));

        assertThat(outcomes).containsExactly(WriteOutcome.accepted("prov-1", 1));
        List<Record> rows = query("MATCH (t:Tenant {tenant_id: $tenantId})-[:EMITS]->(s:Signal) RETURN s",
                Map.of("tenantId", tenant.value()));
        assertThat(rows).hasSize(1);
        Node s = rows.get(0).get("s").asNode();
        assertThat(s.get("tenant_id").asString()).isEqualTo(tenant.value());
        assertThat(s.get("source").asString()).isEqualTo("probe-7");
        assertThat(s.get("signal_id").asString()).isEqualTo("sig-1");
        assertThat(s.get("ts").asZonedDateTime().toInstant()).isEqualTo(now);
        assertThat(s.get("type").asString()).isEqualTo("errors");
        assertThat(s.get("value").asDouble()).isEqualTo(0.25);
        assertThat(s.get("weight").asDouble()).isEqualTo(2.5);
        assertThat(s.get("provenance_id").asString()).isEqualTo("prov-1");
        assertThat(s.get("request_hash").asString()).isEqualTo("a".repeat(64));
        assertThat(s.get("channel").asString()).isEqualTo("graphql");
        assertThat(s.get("purpose").asString()).isEqualTo("benchmarking");
        assertThat(s.get("retention").asString()).isEqualTo("standard-365d");
        assertThat(s.get("license").asString()).isEqualTo("Restricted-TOS");
        assertThat(s.get("residency").asString()).isEqualTo("US");
        assertThat(s.get("ingested_at").isNull()).isFalse();
    }

    @Test
    void savingAStoredIdentityAgainIsADuplicateOfTheOriginal() {
        TenantId tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "sig-1", now, 0.2, 1.0, "prov-original")));

        List<WriteOutcome> again = repository.saveAll(List.of(signal(tenant, "sig-1", now, 0.9, 3.0, "prov-retry")));

        assertThat(again).containsExactly(WriteOutcome.duplicate("prov-original"));
        assertThat(signalNodes(tenant)).isEqualTo(1);
        assertThat(count("MATCH (:Tenant {tenant_id: $tenantId})-[r:EMITS]->() RETURN count(r)", tenant)).isEqualTo(1);
        Record stored = query("MATCH (s:Signal {tenant_id: $tenantId}) RETURN s.value AS value, s.provenance_id AS p",
                Map.of("tenantId", tenant.value())).get(0);
        assertThat(stored.get("value").asDouble()).isEqualTo(0.2);
        assertThat(stored.get("p").asString()).isEqualTo("prov-original");
    }

    /**
     * The same signal, provenance and all, written again: what the group committer does when it
     * retries a request alone whose shared transaction did commit but was not acknowledged. It is
     * still that write's signal: accepted with its original sequence, and nothing changes.
     */
    @Test
    void writingTheVerySameSignalAgainIsItsOwnRetryAndChangesNothing() {
        TenantId tenant = freshTenant();
        Signal signal = signal(tenant, "sig-1", "prov-1");
        repository.saveAll(List.of(signal));
        repository.saveAll(List.of(signal(tenant, "sig-2", "prov-2")));

        List<WriteOutcome> again = repository.saveAll(List.of(signal));

        assertSoftly(softly -> {
            softly.assertThat(again).containsExactly(WriteOutcome.accepted("prov-1", 1));
            softly.assertThat(signalNodes(tenant)).as("signal nodes").isEqualTo(2);
            softly.assertThat(count("MATCH (:Tenant {tenant_id: $tenantId})-[r:EMITS]->() RETURN count(r)", tenant))
                    .as("EMITS relationships").isEqualTo(2);
            softly.assertThat(tenantNode(tenant, "signal_version").asLong()).as("signal_version").isEqualTo(2);
        });
    }

    @Test
    void theVerySameSignalTwiceInOneListIsAcceptedOnce() {
        TenantId tenant = freshTenant();
        Signal signal = signal(tenant, "sig-1", "prov-1");

        assertThat(repository.saveAll(List.of(signal, signal)))
                .containsExactly(WriteOutcome.accepted("prov-1", 1), WriteOutcome.duplicate("prov-1"));
        assertThat(tenantNode(tenant, "signal_version").asLong()).isEqualTo(1);
    }

    private static Signal assigned(TenantId tenant, String signalId, Instant ts, String provenanceId) {
        return new Signal(new SignalIdentity(tenant, "probe-1", signalId, ts), "latency", 0.5, 1.0,
                new Provenance(provenanceId, "hash-" + provenanceId, "http", TAGS), true);
    }

    @Test
    void anAssignedTsFindsTheEarliestSignalStoredUnderItsId() {
        TenantId tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "sig-1", now.minusSeconds(30), 0.5, 1.0, "p-later"),
                signal(tenant, "sig-1", now.minusSeconds(60), 0.5, 1.0, "p-earliest")));

        List<WriteOutcome> outcomes = repository.saveAll(List.of(assigned(tenant, "sig-1", now, "p-retry")));

        assertThat(outcomes).containsExactly(WriteOutcome.duplicate("p-earliest"));
        assertThat(signalNodes(tenant)).isEqualTo(2);
    }

    @Test
    void anAssignedTsYieldsToAnEarlierSignalOfTheSameListButOnlyToItsOwnId() {
        TenantId tenant = freshTenant();

        List<WriteOutcome> outcomes = repository.saveAll(List.of(assigned(tenant, "sig-1", now, "p-1"),
                assigned(tenant, "sig-1", now.plusMillis(5), "p-1-again"), assigned(tenant, "sig-2", now.plusMillis(5), "p-2"),
                signal(tenant, "sig-1", now.minusSeconds(5), 0.5, 1.0, "p-explicit")));

        assertThat(outcomes).containsExactly(WriteOutcome.accepted("p-1", 1), WriteOutcome.duplicate("p-1"),
                WriteOutcome.accepted("p-2", 2), WriteOutcome.accepted("p-explicit", 3));
        assertThat(signalNodes(tenant)).isEqualTo(3);
    }

    @Test
    void aSignalWithAnAssignedTsAndNoneStoredKeepsItsTs() {
        TenantId tenant = freshTenant();
        repository.saveAll(List.of(assigned(tenant, "sig-1", now, "p-1")));

        Instant stored = query("MATCH (s:Signal {tenant_id: $tenantId}) RETURN s.ts AS ts", Map.of("tenantId", tenant.value()))
                .get(0).get("ts").asZonedDateTime().toInstant();
        assertThat(stored).isEqualTo(now);
    }

    @Test
    void concurrentRetriesOfASignalIdWithoutTsStoreItOnce() throws Exception {
        TenantId tenant = freshTenant();
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<WriteOutcome>>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Signal attempt = assigned(tenant, "sig-1", now.plusMillis(w), "p-" + w);
                results.add(pool.submit(() -> {
                    start.await();
                    return repository.saveAll(List.of(attempt));
                }));
            }
            start.countDown();
            long accepted = 0;
            for (Future<List<WriteOutcome>> f : results) {
                accepted += f.get(60, TimeUnit.SECONDS).stream().filter(WriteOutcome::accepted).count();
            }
            assertThat(accepted).isEqualTo(1);
            assertThat(signalNodes(tenant)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Bolt's COMMIT message as one chunk: size 2, a struct of no fields with signature 0x12, end marker. */
    private static final byte[] BOLT_COMMIT = {0x00, 0x02, (byte) 0xB0, 0x12, 0x00, 0x00};

    /**
     * The commit reaches Neo4j but its acknowledgement never reaches the driver, which then retries
     * the transaction function on a new connection. The retry finds the signals the first attempt
     * stored: they are still this write's, accepted once with their sequence, stored and counted once.
     */
    @Test
    void aCommitWhoseAcknowledgementIsLostIsStillAcceptedOnce() throws Exception {
        TenantId tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "before", "p-before")));
        EmbeddedEngines engines = EmbeddedEngines.shared();
        URI neo4j = URI.create(engines.neo4jUri());
        try (TcpGate gate = TcpGate.to(neo4j.getHost(), neo4j.getPort());
             Driver gated = GraphDatabase.driver("bolt://" + neo4j.getHost() + ":" + gate.port(),
                     AuthTokens.basic(engines.neo4jUser(), engines.neo4jPassword()),
                     Config.builder().withLogging(Logging.none()).build())) {
            Neo4jSignalRepository throughGate = new Neo4jSignalRepository(gated);
            gate.holdRepliesAfter(BOLT_COMMIT);

            CompletableFuture<List<WriteOutcome>> written = CompletableFuture.supplyAsync(
                    () -> throughGate.saveAll(List.of(signal(tenant, "sig-1", "p-1"), signal(tenant, "sig-2", "p-2"))));
            Eventually.await("the write committed", Duration.ofSeconds(30), () -> signalNodes(tenant) == 3);
            gate.cut();
            gate.restore();

            List<WriteOutcome> outcomes = written.get(60, TimeUnit.SECONDS);
            assertSoftly(softly -> {
                softly.assertThat(outcomes).containsExactly(WriteOutcome.accepted("p-1", 2), WriteOutcome.accepted("p-2", 3));
                softly.assertThat(signalNodes(tenant)).as("signal nodes").isEqualTo(3);
                softly.assertThat(count("MATCH (:Tenant {tenant_id: $tenantId})-[r:EMITS]->() RETURN count(r)", tenant))
                        .as("EMITS relationships").isEqualTo(3);
                softly.assertThat(tenantNode(tenant, "signal_version").asLong()).as("signal_version").isEqualTo(3);
            });
        }
    }

    @Test
    void anyDifferenceInTheIdentityMakesANewSignal() {
        TenantId tenant = freshTenant();
        Signal base = signal(tenant, "sig-1", "p-1");

        List<WriteOutcome> outcomes = repository.saveAll(List.of(base,
                signal(tenant, "sig-2", "p-2"),
                signal(tenant, "sig-1", now.plusMillis(1), 0.5, 1.0, "p-3"),
                new Signal(new SignalIdentity(tenant, "probe-2", "sig-1", now), "latency", 0.5, 1.0,
                        new Provenance("p-4", "h", "http", TAGS))));

        assertThat(outcomes).extracting(WriteOutcome::status).containsOnly(WriteOutcome.Status.ACCEPTED);
        assertThat(signalNodes(tenant)).isEqualTo(4);
    }

    @Test
    void theSecondOfTwoEqualIdentitiesInOneListIsADuplicate() {
        TenantId tenant = freshTenant();

        List<WriteOutcome> outcomes = repository.saveAll(List.of(signal(tenant, "sig-1", "p-first"),
                signal(tenant, "sig-1", "p-second")));

        assertThat(outcomes).containsExactly(WriteOutcome.accepted("p-first", 1), WriteOutcome.duplicate("p-first"));
        assertThat(signalNodes(tenant)).isEqualTo(1);
    }

    @Test
    void outcomesFollowTheInputOrderAcrossTenants() {
        String base = "it-" + UUID.randomUUID();
        TenantId later = TenantId.of(base + "-z");
        TenantId earlier = TenantId.of(base + "-a");

        List<WriteOutcome> outcomes = repository.saveAll(List.of(
                signal(later, "s-1", "p-z1"),
                signal(earlier, "s-1", "p-a1"),
                signal(later, "s-1", "p-z1-again"),
                signal(earlier, "s-2", "p-a2")));

        assertThat(outcomes).containsExactly(WriteOutcome.accepted("p-z1", 1), WriteOutcome.accepted("p-a1", 1),
                WriteOutcome.duplicate("p-z1"), WriteOutcome.accepted("p-a2", 2));
    }

    @Test
    void acceptedSignalsNumberTheirTenantsCommitsWithoutGaps() {
        TenantId tenant = freshTenant();
        List<WriteOutcome> first = repository.saveAll(List.of(signal(tenant, "s-1", "p-1"), signal(tenant, "s-2", "p-2"),
                signal(tenant, "s-3", "p-3")));
        List<WriteOutcome> second = repository.saveAll(List.of(signal(tenant, "s-2", "p-2-again"),
                signal(tenant, "s-4", "p-4"), signal(tenant, "s-5", "p-5")));

        assertThat(first).extracting(WriteOutcome::sequence).containsExactly(1L, 2L, 3L);
        assertThat(second).extracting(WriteOutcome::sequence).containsExactly(0L, 4L, 5L);
    }

    @Test
    void concurrentWritersOfOneTenantShareOneGaplessSequence() throws Exception {
        TenantId tenant = freshTenant();
        int writers = 4;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<WriteOutcome>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    List<WriteOutcome> all = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        all.addAll(repository.saveAll(List.of(signal(tenant, "w" + writer + "-" + i, "p-" + writer + "-" + i))));
                    }
                    return all;
                }));
            }
            List<Long> sequences = new ArrayList<>();
            for (Future<List<WriteOutcome>> f : futures) {
                f.get(60, TimeUnit.SECONDS).forEach(o -> sequences.add(o.sequence()));
            }
            assertThat(sequences).containsExactlyInAnyOrderElementsOf(
                    LongStream.rangeClosed(1, writers * perWriter).boxed().toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEmptyListWritesNothing() {
        assertThat(repository.saveAll(List.of())).isEmpty();
    }

    @Test
    void concurrentWritersOfTheSameIdentitiesCreateEachSignalOnce() throws Exception {
        TenantId tenant = freshTenant();
        int threads = 16;
        int identities = 50;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<List<Signal>> lists = new ArrayList<>();
        List<Future<List<WriteOutcome>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String writer = "w" + t;
                List<Signal> signals = IntStream.range(0, identities)
                        .mapToObj(i -> signal(tenant, "sig-" + i, writer + "-p" + i)).toList();
                lists.add(signals);
                results.add(pool.submit(() -> {
                    start.await();
                    return repository.saveAll(signals);
                }));
            }
            start.countDown();
            List<List<WriteOutcome>> outcomes = new ArrayList<>();
            for (Future<List<WriteOutcome>> f : results) {
                outcomes.add(f.get(2, TimeUnit.MINUTES));
            }

            long accepted = outcomes.stream().flatMap(List::stream)
                    .filter(o -> o.status() == WriteOutcome.Status.ACCEPTED).count();
            assertThat(accepted).isEqualTo(identities);
            for (int i = 0; i < identities; i++) {
                int index = i;
                List<Integer> winners = IntStream.range(0, threads)
                        .filter(t -> outcomes.get(t).get(index).status() == WriteOutcome.Status.ACCEPTED).boxed().toList();
                assertThat(winners).as("writers that created sig-%d", i).hasSize(1);
                String original = lists.get(winners.get(0)).get(i).provenance().provenanceId();
                assertThat(outcomes).as("every writer of sig-%d sees the original provenance", i)
                        .allSatisfy(o -> assertThat(o.get(index).provenanceId()).isEqualTo(original));
            }
            assertThat(signalNodes(tenant)).isEqualTo(identities);
            assertThat(count("MATCH (:Tenant {tenant_id: $tenantId})-[r:EMITS]->() RETURN count(r)", tenant))
                    .isEqualTo(identities);
            assertThat(count("MATCH (t:Tenant {tenant_id: $tenantId}) RETURN count(t)", tenant)).isEqualTo(1);
            assertThat(tenantNode(tenant, "signal_version").asLong()).isEqualTo(identities);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void windowTotalsSumTheTenantsSignalsFromTheGivenInstant() {
        TenantId tenant = freshTenant();
        TenantId neighbour = freshTenant();
        Instant from = now.minus(Duration.ofHours(24));
        Random random = new Random(7);
        List<Signal> signals = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant ts = now.minusMillis((long) (random.nextDouble() * Duration.ofHours(30).toMillis()));
            signals.add(signal(tenant, "s-" + i, ts, random.nextDouble(), 0.1 + 9.9 * random.nextDouble(), "p-" + i));
        }
        signals.add(signal(tenant, "at-from", from, 0.7, 2.0, "p-at-from"));
        signals.add(signal(tenant, "just-before", from.minusMillis(1), 0.9, 5.0, "p-just-before"));
        repository.saveAll(signals);
        repository.saveAll(List.of(signal(neighbour, "n-1", now, 1.0, 100.0, "p-n1")));

        WindowTotals totals = repository.windowTotals(tenant, from);

        BigDecimal weighted = BigDecimal.ZERO;
        BigDecimal weights = BigDecimal.ZERO;
        long count = 0;
        for (Signal s : signals) {
            if (!s.ts().isBefore(from)) {
                weighted = weighted.add(BigDecimal.valueOf(s.value()).multiply(BigDecimal.valueOf(s.weight())),
                        MathContext.DECIMAL128);
                weights = weights.add(BigDecimal.valueOf(s.weight()), MathContext.DECIMAL128);
                count++;
            }
        }
        assertThat(count).isBetween(2L, 61L);
        assertThat(totals.count()).isEqualTo(count);
        assertThat(totals.weightedValueSum()).isCloseTo(weighted.doubleValue(), within(1e-9));
        assertThat(totals.weightSum()).isCloseTo(weights.doubleValue(), within(1e-9));
    }

    @Test
    void windowTotalsOfATenantWithoutSignalsAreEmpty() {
        assertThat(repository.windowTotals(freshTenant(), now.minus(Duration.ofHours(24))))
                .isEqualTo(WindowTotals.EMPTY);
    }

    @Test
    void onlyAcceptedWritesBumpTheTenantsVersion() {
        TenantId tenant = freshTenant();
        List<Signal> three = List.of(signal(tenant, "s-1", "p-1"), signal(tenant, "s-2", "p-2"),
                signal(tenant, "s-3", "p-3"));

        repository.saveAll(three);

        assertThat(tenantNode(tenant, "signal_version").asLong()).isEqualTo(3);

        repository.saveAll(List.of(signal(tenant, "s-1", "p-1b"), signal(tenant, "s-2", "p-2b")));

        assertThat(tenantNode(tenant, "signal_version").asLong()).isEqualTo(3);

        repository.saveAll(List.of(signal(tenant, "s-3", "p-3b"), signal(tenant, "s-4", "p-4")));

        assertThat(tenantNode(tenant, "signal_version").asLong()).isEqualTo(4);
    }
}
