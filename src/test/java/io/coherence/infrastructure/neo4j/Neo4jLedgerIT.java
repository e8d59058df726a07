package io.coherence.infrastructure.neo4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.IngestCommit;
import io.coherence.domain.provenance.IngestRange;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerExport;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.MovableClock;
import java.io.BufferedReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;

/** The ledger written by ingest and checked by verify, against the embedded Neo4j. */
class Neo4jLedgerIT {

    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");

    private static Driver driver;
    private static Neo4jLedger ledger;
    private static Neo4jSignalRepository repository;
    private static final MovableClock CLOCK = new MovableClock(Instant.parse("2026-12-02T11:00:00.123456Z"));

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    static void connect() {
        driver = EmbeddedEngines.shared().neo4jDriver();
        ledger = new Neo4jLedger(driver, CLOCK);
        repository = new Neo4jSignalRepository(driver, ledger, CLOCK);
    }

    @AfterAll
    static void disconnect() {
        driver.close();
    }

    private static String freshTenant() {
        return "it-ledger-" + UUID.randomUUID();
    }

    private Signal signal(String tenant, String signalId) {
        return new Signal(new SignalIdentity(TenantId.of(tenant), "probe-1", signalId, now), "latency", 0.5, 1.0,
                new Provenance("prov-" + UUID.randomUUID(), "req-" + signalId, "http", TAGS));
    }

    private static List<Record> entries(String tenant) {
        return run("MATCH (e:LedgerEntry {tenant_id: $t}) RETURN e ORDER BY e.sequence", Map.of("t", tenant));
    }

    private static List<Record> run(String cypher, Map<String, Object> parameters) {
        try (var session = driver.session()) {
            return session.run(cypher, parameters).list();
        }
    }

    private static LedgerVerification verify(String tenant) {
        return ledger.verify(TenantId.of(tenant));
    }

    @Test
    void oneWriteRecordsOneEntryPerTenantThatGotSignalsAndNoneForDuplicates() {
        String a = freshTenant();
        String b = freshTenant();
        Signal a1 = signal(a, "s-1");
        repository.saveAll(List.of(a1));

        Signal a2 = signal(a, "s-2");
        Signal a3 = signal(a, "s-3");
        Signal b1 = signal(b, "s-1");
        repository.saveAll(List.of(a2, signal(a, "s-1"), b1, a3));
        repository.saveAll(List.of(signal(a, "s-2"), signal(b, "s-1")));

        List<Record> ofA = entries(a);
        assertThat(ofA).extracting(r -> r.get("e").get("summary").asString()).containsExactly("signals 1-1 (1)", "signals 2-3 (2)");
        assertThat(ofA.get(1).get("e").get("digest").asString()).isEqualTo(new IngestCommit(List.of(
                new IngestCommit.Created(2, a2.provenance().provenanceId(), a2.provenance().requestHash()),
                new IngestCommit.Created(3, a3.provenance().provenanceId(), a3.provenance().requestHash()))).digest());
        assertThat(ofA.get(1).get("e").get("at").asString()).isEqualTo("2026-12-02T11:00:00.123Z");
        assertThat(entries(b)).extracting(r -> r.get("e").get("summary").asString()).containsExactly("signals 1-1 (1)");
        assertThat(verify(a)).isEqualTo(new LedgerVerification(2, true, null));
        assertThat(verify(b)).isEqualTo(new LedgerVerification(1, true, null));
    }

    @Test
    void concurrentWritesOfOneTenantChainWithoutGapsAndCoverEverySignal() throws Exception {
        String tenant = freshTenant();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int w = 0; w < 30; w++) {
                int write = w;
                writes.add(pool.submit(() -> repository.saveAll(List.of(signal(tenant, "w" + write + "-a"),
                        signal(tenant, "w" + write + "-b"), signal(tenant, "w" + (write / 2) + "-a")))));
            }
            for (Future<?> f : writes) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        LedgerVerification result = verify(tenant);
        assertThat(result.valid()).isTrue();
        long signals = run("MATCH (t:Tenant {tenant_id: $t}) RETURN t.signal_version AS v", Map.of("t", tenant)).get(0).get("v").asLong();
        assertThat(signals).isEqualTo(60);
        assertThat(result.entries()).isBetween(1L, 30L);
    }

    @Test
    void aTenantWithSignalsFromBeforeTheLedgerGetsOneEntryStandingForThem() {
        String tenant = freshTenant();
        run("CREATE (:Tenant {tenant_id: $t, signal_version: 7})", Map.of("t", tenant));

        repository.saveAll(List.of(signal(tenant, "s-8")));
        repository.saveAll(List.of(signal(tenant, "s-9")));

        assertThat(entries(tenant)).extracting(r -> r.get("e").get("summary").asString())
                .containsExactly("signals 1-7 (7) before the ledger", "signals 8-8 (1)", "signals 9-9 (1)");
        assertThat(entries(tenant).get(0).get("e").get("digest").asString()).isEqualTo(IngestRange.NOTHING);
        assertThat(verify(tenant).valid()).isTrue();
    }

    @Test
    void entriesRecordedOutsideIngestKeepTheChainAndTheCoverage() {
        String tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "s-1")));
        ledger.record(TenantId.of(tenant), LedgerAction.POLICY, "legalHold true", Sha256.hex("policy"));
        repository.saveAll(List.of(signal(tenant, "s-2")));

        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(3, true, null));
    }

    @Test
    void aSignalCommittedWithoutItsEntryIsABreak() {
        String tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "s-1"), signal(tenant, "s-2")));
        new Neo4jSignalRepository(driver, new Neo4jLedger(driver, CLOCK) {
            @Override
            public List<io.coherence.domain.provenance.LedgerEntry> appendAfter(org.neo4j.driver.TransactionContext tx,
                    Map<String, Head> heads, List<Append> appends, Instant at) {
                return List.of();
            }
        }, CLOCK).saveAll(List.of(signal(tenant, "s-3")));
        repository.saveAll(List.of(signal(tenant, "s-4")));

        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(2, false, 2L));
    }

    @Test
    void garbageInAStoredEntryIsABrokenEntryNotAnError() {
        String tenant = freshTenant();
        for (int i = 1; i <= 3; i++) {
            repository.saveAll(List.of(signal(tenant, "s-" + i)));
        }
        for (String edit : new String[] {"SET e.action = 'PURGE'", "REMOVE e.digest", "SET e.at = 42", "SET e.summary = ['a']",
                "SET e.sequence = 2.5", "SET e.sequence = 'two'"}) {
            String t = tenant + "-" + edit.hashCode();
            for (int i = 1; i <= 3; i++) {
                repository.saveAll(List.of(signal(t, "s-" + i)));
            }
            run("MATCH (e:LedgerEntry {tenant_id: $t, sequence: 2}) " + edit, Map.of("t", t));

            assertThat(verify(t)).as(edit).isEqualTo(new LedgerVerification(edit.contains("sequence = 'two'") ? 2 : 3, false, 2L));
        }
    }

    @Test
    void aReplicaThatKnowsTheHeadWritesTheEntryInTheUpsertAsTheSeparateStatementWould() {
        String tenant = freshTenant();
        Neo4jSignalRepository replica = new Neo4jSignalRepository(driver, ledger, CLOCK);
        replica.saveAll(List.of(signal(tenant, "s-1")));
        assertThat(replica.entriesInUpsert()).isZero();

        Signal s2 = signal(tenant, "s-2");
        Signal s3 = signal(tenant, "s-3");
        replica.saveAll(List.of(s2, s3));
        replica.saveAll(List.of(signal(tenant, "s-4")));

        assertThat(replica.entriesInUpsert()).isEqualTo(2);
        List<Record> stored = entries(tenant);
        assertThat(stored).extracting(r -> r.get("e").get("summary").asString())
                .containsExactly("signals 1-1 (1)", "signals 2-3 (2)", "signals 4-4 (1)");
        assertThat(stored.get(1).get("e").get("digest").asString()).isEqualTo(new IngestCommit(List.of(
                new IngestCommit.Created(2, s2.provenance().provenanceId(), s2.provenance().requestHash()),
                new IngestCommit.Created(3, s3.provenance().provenanceId(), s3.provenance().requestHash()))).digest());
        assertThat(stored.get(1).get("e").get("prev_hash").asString()).isEqualTo(stored.get(0).get("e").get("hash").asString());
        assertThat(stored.get(1).get("e").get("at").asString()).isEqualTo("2026-12-02T11:00:00.123Z");
        Record head = run("MATCH (t:Tenant {tenant_id: $t}) RETURN t.ledger_sequence AS s, t.ledger_hash AS h, t.ledger_covered AS c",
                Map.of("t", tenant)).get(0);
        assertThat(head.get("s").asLong()).isEqualTo(3);
        assertThat(head.get("h").asString()).isEqualTo(stored.get(2).get("e").get("hash").asString());
        assertThat(head.get("c").asLong()).isEqualTo(4);
        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(3, true, null));
    }

    @Test
    void aHeadMovedBehindAReplicasBackFallsBackToASeparateEntry() {
        String tenant = freshTenant();
        Neo4jSignalRepository a = new Neo4jSignalRepository(driver, ledger, CLOCK);
        Neo4jSignalRepository b = new Neo4jSignalRepository(driver, ledger, CLOCK);
        for (int i = 1; i <= 6; i++) {
            (i % 2 == 0 ? b : a).saveAll(List.of(signal(tenant, "s-" + i)));
            if (i == 3) {
                ledger.record(TenantId.of(tenant), LedgerAction.POLICY, "legalHold false", Sha256.hex("policy"));
            }
        }
        a.saveAll(List.of(signal(tenant, "s-7")));
        a.saveAll(List.of(signal(tenant, "s-8")));

        // Each replica's guess went stale whenever the other wrote: only a's last write was predicted right.
        assertThat(a.entriesInUpsert() + b.entriesInUpsert()).isEqualTo(1);
        assertThat(entries(tenant)).extracting(r -> r.get("e").get("action").asString())
                .containsExactly("INGEST", "INGEST", "INGEST", "POLICY", "INGEST", "INGEST", "INGEST", "INGEST", "INGEST");
        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(9, true, null));
    }

    @Test
    void aPredictedRowThatCreatesNothingFallsBackAndRecordsOnlyWhatWasCreated() {
        String tenant = freshTenant();
        Neo4jSignalRepository replica = new Neo4jSignalRepository(driver, ledger, CLOCK);
        Signal first = signal(tenant, "s-1");
        replica.saveAll(List.of(first));

        // Same identity as s-1 under a new provenance id: a duplicate the prediction counted as created.
        Signal again = new Signal(first.identity(), "latency", 0.5, 1.0, new Provenance("prov-" + UUID.randomUUID(), "req-again",
                "http", TAGS));
        replica.saveAll(List.of(signal(tenant, "s-2"), again, signal(tenant, "s-3")));
        replica.saveAll(List.of(first));
        replica.saveAll(List.of(signal(tenant, "s-4")));

        assertThat(replica.entriesInUpsert()).isEqualTo(1);
        assertThat(entries(tenant)).extracting(r -> r.get("e").get("summary").asString())
                .containsExactly("signals 1-1 (1)", "signals 2-3 (2)", "signals 4-4 (1)");
        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(3, true, null));
    }

    @Test
    void anEditedHeadIsNotFollowedByAPredictedEntry() {
        String tenant = freshTenant();
        Neo4jSignalRepository replica = new Neo4jSignalRepository(driver, ledger, CLOCK);
        replica.saveAll(List.of(signal(tenant, "s-1")));
        run("MATCH (t:Tenant {tenant_id: $t}) SET t.ledger_hash = $h", Map.of("t", tenant, "h", "f".repeat(64)));

        replica.saveAll(List.of(signal(tenant, "s-2")));

        assertThat(replica.entriesInUpsert()).isZero();
        assertThat(entries(tenant).get(1).get("e").get("prev_hash").asString()).isEqualTo("f".repeat(64));
        assertThat(verify(tenant)).isEqualTo(new LedgerVerification(2, false, 2L));
    }

    @Test
    void theExportChecksAsTheStoredChain() throws Exception {
        String tenant = freshTenant();
        repository.saveAll(List.of(signal(tenant, "s-1"), signal(tenant, "s-2")));
        repository.saveAll(List.of(signal(tenant, "s-3")));

        assertThat(check(tenant)).isEqualTo(verify(tenant)).isEqualTo(new LedgerVerification(2, true, null));
        run("MATCH (e:LedgerEntry {tenant_id: $t, sequence: 2}) DETACH DELETE e", Map.of("t", tenant));
        assertThat(check(tenant)).isEqualTo(verify(tenant)).isEqualTo(new LedgerVerification(1, false, 2L));
    }

    private static LedgerVerification check(String tenant) throws Exception {
        StringWriter out = new StringWriter();
        ledger.export(TenantId.of(tenant), out);
        return LedgerExport.check(new BufferedReader(new StringReader(out.toString())));
    }
}
