package io.coherence.infrastructure.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.erasure.ErasureGraph;
import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.score.CoherenceScore;
import io.coherence.domain.score.PendingTenant;
import io.coherence.domain.score.ScoreStatus;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/** Erasure batches against the real graph: identity constraint, ledger chain, exact progress. */
class Neo4jErasureGraphIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final ErasureSubject DEVICE_7 = new ErasureSubject("device-7");

    private static Driver driver;
    private static Neo4jSignalRepository signals;
    private static Neo4jErasureGraph graph;
    private static Neo4jLedger ledger;
    private static Neo4jScoreProjection projection;

    private final TenantId tenant = TenantId.of("it-erasure-graph-" + UUID.randomUUID());
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void connect() {
        driver = EmbeddedEngines.shared().neo4jDriver();
        signals = new Neo4jSignalRepository(driver);
        ledger = new Neo4jLedger(driver);
        graph = new Neo4jErasureGraph(driver, ledger);
        projection = new Neo4jScoreProjection(driver);
    }

    /** n signals of the source, all at the same ts (their ids differ), value 0.25 each. */
    private void emit(String source, int n) {
        String batch = UUID.randomUUID().toString();
        signals.saveAll(IntStream.range(0, n).mapToObj(i -> new Signal(
                new SignalIdentity(tenant, source, batch + "-" + i, now), "latency", 0.25, 2.0,
                new Provenance(batch + "-p" + i, "hash-" + i, "kafka", "topic/0@" + i, TAGS))).toList());
    }

    private List<Record> stored(String where) {
        try (var session = driver.session()) {
            return session.run("MATCH (s:Signal {tenant_id: $t}) WHERE " + where + " RETURN s",
                    Map.of("t", tenant.value())).list();
        }
    }

    private List<LedgerEntry> erasureEntries() {
        try (var session = driver.session()) {
            return session.run(Neo4jLedger.PAGE, Map.of("tenantId", tenant.value(), "after", 0, "limit", 1000))
                    .list(r -> Neo4jLedger.entry(tenant.value(), r)).stream()
                    .filter(e -> e.action().name().equals("ERASURE")).toList();
        }
    }

    @Test
    void deletionGoesInBatchesEachWithItsLedgerEntryAndExactProgress() {
        emit("device-7", 5);
        emit("device-8", 2);
        UUID request = UUID.randomUUID();

        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.DELETE, 2, now)).isEqualTo(2);
        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.DELETE, 2, now)).isEqualTo(2);
        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.DELETE, 2, now)).isEqualTo(1);
        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.DELETE, 2, now)).isZero();

        assertThat(stored("s.source = 'device-7'")).isEmpty();
        assertThat(stored("s.source = 'device-8'")).hasSize(2);
        BucketCheck.assertBucketsMatchSignals(driver, tenant);
        assertThat(BucketCheck.stored(driver, tenant).values()).as("device-8's two signals, value 0.25, weight 2")
                .containsExactly(new BucketCheck.Sums(1.0, 4.0, 2));
        assertThat(graph.count(tenant, DEVICE_7, ErasureScope.DELETE)).isZero();
        ErasureGraph.Progress progress = graph.progress(request);
        assertThat(progress.before()).isEqualTo(5);
        assertThat(progress.erased()).isEqualTo(5);
        assertThat(progress.batches()).isEqualTo(3);
        List<LedgerEntry> entries = erasureEntries();
        assertThat(entries).hasSize(3).allSatisfy(e -> assertThat(e.summary()).contains(request.toString())
                .doesNotContain("device-7"));
        String chained = LedgerEntry.GENESIS;
        for (LedgerEntry e : entries) {
            chained = Sha256.hex(chained + "\n" + e.digest());
        }
        assertThat(progress.digest()).as("the audit digest chains the ledger entries' digests").isEqualTo(chained);
        assertThat(ledger.verify(tenant).valid()).isTrue();

        graph.forgetProgress(request);
        assertThat(graph.progress(request).batches()).isZero();
    }

    @Test
    void minimizingKeepsTheScoreFieldsKeepsIdentitiesUniqueAndIsNotRepeated() {
        emit("device-7", 3);
        UUID request = UUID.randomUUID();

        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.MINIMIZE, 10, now)).isEqualTo(3);
        assertThat(graph.eraseBatch(request, tenant, DEVICE_7, ErasureScope.MINIMIZE, 10, now)).isZero();

        List<Record> minimized = stored("s.source = 'erased'");
        assertThat(minimized).hasSize(3).allSatisfy(r -> {
            var s = r.get("s").asNode();
            assertThat(s.get("value").asDouble()).isEqualTo(0.25);
            assertThat(s.get("weight").asDouble()).isEqualTo(2.0);
            assertThat(s.get("type").asString()).isEqualTo("latency");
            assertThat(s.get("ts").asZonedDateTime().toInstant()).isEqualTo(now);
            assertThat(s.get("request_hash").isNull()).isTrue();
            assertThat(s.get("origin").isNull()).isTrue();
            assertThat(s.get("provenance_id").asString()).doesNotContain("-p");
            assertThat(s.get("minimized_by").asString()).isEqualTo(request.toString());
        });
        assertThat(minimized.stream().map(r -> r.get("s").asNode().get("signal_id").asString()).distinct()).hasSize(3);
        assertThat(graph.count(tenant, DEVICE_7, ErasureScope.MINIMIZE)).isZero();
        assertThat(BucketCheck.stored(driver, tenant).values()).as("minimized signals still count")
                .containsExactly(new BucketCheck.Sums(1.5, 6.0, 3));
        // A subject named like the minimized source never reaches them.
        assertThat(graph.count(tenant, new ErasureSubject("erased"), ErasureScope.DELETE)).isZero();

        // The whole tenant: its deletion takes the minimized signals too.
        UUID offBoarding = UUID.randomUUID();
        assertThat(graph.eraseBatch(offBoarding, tenant, new ErasureSubject("*"), ErasureScope.DELETE, 10, now)).isEqualTo(3);
        assertThat(stored("true")).isEmpty();
        assertThat(BucketCheck.stored(driver, tenant)).isEmpty();
    }

    @Test
    void provenanceIdsArePagedInOrder() {
        emit("device-7", 3);
        emit("device-8", 1);

        List<String> first = graph.provenanceIds(tenant, DEVICE_7, "", 2);
        List<String> rest = graph.provenanceIds(tenant, DEVICE_7, first.get(1), 2);

        assertThat(first).hasSize(2).isSorted();
        assertThat(rest).hasSize(1);
        assertThat(first).doesNotContainAnyElementsOf(rest);
    }

    @Test
    void aMarkedScoreIsPendingAndARemovedOneStaysAwayUntilNewSignals() {
        emit("device-7", 2);
        long version = projection.pending(1_000_000).stream().filter(p -> p.tenant().equals(tenant)).findFirst()
                .orElseThrow().version();
        projection.record(new CoherenceScore(tenant, 0.25, ScoreStatus.CRITICAL, now), version);

        graph.markForRescoring(tenant);
        assertThat(projection.pending(1_000_000)).extracting(PendingTenant::tenant).contains(tenant);

        graph.removeScore(tenant);
        assertThat(projection.pending(1_000_000)).extracting(PendingTenant::tenant).doesNotContain(tenant);
        try (var session = driver.session()) {
            Record c = session.run("MATCH (:Tenant {tenant_id: $t})-[:HAS_SCORE]->(c) RETURN c.score AS score, count(c) AS n",
                    Map.of("t", tenant.value())).single();
            assertThat(c.get("score").isNull()).isTrue();
            assertThat(c.get("n").asLong()).isEqualTo(1);
        }
        emit("device-9", 1);
        assertThat(projection.pending(1_000_000)).extracting(PendingTenant::tenant).contains(tenant);
    }
}
