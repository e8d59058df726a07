package io.coherence.interfaces.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.domain.provenance.Sha256;
import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Values;

/**
 * Retention end to end: old signals written straight into the graph (ingest refuses them), then
 * runRetention as a dry run and for real, the ledger entry of the deleted batch, the score of a
 * tenant left without signals, a tenant under legal hold, the refusals, and the persistent timer's
 * scheduled run, recorded in PostgreSQL.
 */
@TestServerIT
class RetentionIT {

    /**
     * The persistent timer fires every minute; its first run follows the server's start. A run that
     * failed (the outage suites cut Neo4j and PostgreSQL under it) is retried at a tick 10 s later;
     * a tick whose bookkeeping PostgreSQL could not take holds Liberty's claim on the timer for the
     * missed task threshold (100 s on the test server); and a run visits every tenant the suites
     * before created (hundreds; 3 to 20 s in all). A bound, not the usual wait (about 2 s).
     */
    private static final Duration FIRST_RUN_WITHIN = Duration.ofMinutes(6);
    private static final List<String> ADMIN = List.of("coherence:read", "coherence:write", "coherence:admin");

    private static Driver neo4j;
    private static DataSource postgres;

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private String tenant;
    private String admin;

    @BeforeAll
    static void engines() {
        neo4j = EmbeddedEngines.shared().neo4jDriver();
        postgres = EmbeddedEngines.shared().postgresDataSource();
    }

    @AfterAll
    static void close() {
        neo4j.close();
    }

    /**
     * The scheduled run prunes every tenant by its tier: old signals written before its first
     * completed run ends could be its, not the test's. After it, the next is a day away. A run that
     * failed (another suite had cut Neo4j) is retried within seconds on the test server.
     */
    @BeforeEach
    void afterTheFirstScheduledRun() {
        Eventually.await("a completed run of the persistent retention timer", FIRST_RUN_WITHIN,
                () -> scheduledRun().filter("completed"::equals).isPresent());
        tenant = "it-retention-" + UUID.randomUUID();
        admin = api.token(tenant, ADMIN);
    }

    @Test
    void thePersistentTimerRanTheScheduledRunAndRecordedIt() {
        assertThat(scheduledRun()).hasValue("completed");
        assertThat(api.get("/metrics").body()).contains("retention_runs_total{").contains("retention_interval_seconds");
        // A replica reads the shared record at start and at each tick, also when it did not run it.
        Eventually.await("the last-run gauge shows the scheduled run", FIRST_RUN_WITHIN,
                () -> gauge(api.get("/metrics").body(), "retention_last_run_timestamp_seconds") > 0);
    }

    @Test
    void aDryRunCountsWhatWouldGoThenARealRunDeletesItWithItsLedgerEntry() {
        Instant now = Instant.now();
        List<String> old = writeSignals(tenant, now.minus(Duration.ofDays(400)), 3);
        writeSignals(tenant, now.minus(Duration.ofDays(2)), 2);

        JsonObject dry = report(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", true), admin));

        assertThat(dry.getString("tenantId")).isEqualTo(tenant);
        assertThat(dry.getString("retentionTier")).isEqualTo("STANDARD_365D");
        assertThat(Instant.parse(dry.getString("cutoff"))).isBetween(now.minus(Duration.ofDays(365)).minusSeconds(60),
                Instant.now().minus(Duration.ofDays(365)));
        assertThat(dry.getInt("matched")).isEqualTo(3);
        assertThat(dry.getInt("deleted")).isZero();
        assertThat(dry.getBoolean("dryRun")).isTrue();
        assertThat(api.signalCount(tenant)).isEqualTo(5);
        assertThat(retentionEntries(tenant)).isEmpty();

        JsonObject real = report(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", false), admin));

        assertThat(real.getInt("matched")).isEqualTo(3);
        assertThat(real.getInt("deleted")).isEqualTo(3);
        assertThat(real.getBoolean("dryRun")).isFalse();
        assertThat(api.signalCount(tenant)).isEqualTo(2);
        List<Record> entries = retentionEntries(tenant);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("summary").asString())
                .isEqualTo("deleted=3 tier=standard-365d cutoff=" + real.getString("cutoff"));
        assertThat(entries.get(0).get("digest").asString())
                .isEqualTo(Sha256.hex(String.join("\n", old.stream().sorted().toList())));

        JsonObject again = report(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", false), admin));
        assertThat(again.getInt("matched")).isZero();
        assertThat(again.getInt("deleted")).isZero();
        assertThat(retentionEntries(tenant)).hasSize(1);
    }

    @Test
    void aTenantLeftWithoutSignalsLosesItsScoreRowItsGraphScoreAndItsCachedScore() throws Exception {
        writeSignals(tenant, Instant.now().minus(Duration.ofDays(500)), 2);
        Eventually.await("the materializer scored the tenant", Duration.ofSeconds(30), () -> scoreRow(tenant));
        // A read fills the cache (the materializer wrote through it too).
        api.graphql("k6-read.graphql", Map.of("t", tenant), admin);
        Instant beforeRun = Instant.now();

        JsonObject real = report(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", false), admin));

        assertThat(real.getInt("deleted")).isEqualTo(2);
        assertThat(api.signalCount(tenant)).isZero();
        assertThat(scoreRow(tenant)).isFalse();
        Record node = scoreNode(tenant);
        assertThat(node.get("updatedAt").isNull()).as("the graph's score is gone").isTrue();
        assertThat(node.get("scoredVersion").asLong()).as("and the tenant is not pending").isEqualTo(node.get("version").asLong());
        // Neither the cache nor PostgreSQL answers: the read is the "no signals" answer of now.
        JsonObject read = api.graphql("k6-read.graphql", Map.of("t", tenant), admin).getJsonObject("data")
                .getJsonObject("tenantCoherence");
        assertThat(read.getString("status")).isEqualTo("UNKNOWN");
        assertThat(Instant.parse(read.getString("updatedAt"))).isAfterOrEqualTo(beforeRun.minusSeconds(1));
    }

    @Test
    void aTenantUnderLegalHoldIsNeverPrunedAndTheReportSaysSo() {
        JsonObject set = api.graphql("retention-hold.graphql", Map.of("input", Map.of("tenantId", tenant, "legalHold", true)),
                admin);
        assertThat(set.getJsonObject("data").getJsonObject("setTenantDataPolicy").getBoolean("legalHold")).isTrue();
        writeSignals(tenant, Instant.now().minus(Duration.ofDays(3000)), 4);

        for (boolean dryRun : new boolean[] {true, false}) {
            JsonObject held = report(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", dryRun), admin));

            assertThat(held.getString("cutoff")).isEqualTo("none (legal hold)");
            assertThat(held.getInt("matched")).isZero();
            assertThat(held.getInt("deleted")).isZero();
            assertThat(held.getBoolean("dryRun")).isEqualTo(dryRun);
        }
        assertThat(api.signalCount(tenant)).isEqualTo(4);
        assertThat(retentionEntries(tenant)).isEmpty();
    }

    @Test
    void refusesCallersWithoutTokenOrAdminScopeAndOtherTenantsAndDeletesNothing() {
        writeSignals(tenant, Instant.now().minus(Duration.ofDays(400)), 2);
        Map<String, Object> run = Map.of("tenantId", tenant, "dryRun", false);

        assertThat(code(api.graphql("run-retention.graphql", run, null))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("run-retention.graphql", run, "not-a-jwt"))).isEqualTo("UNAUTHENTICATED");
        assertThat(code(api.graphql("run-retention.graphql", run, api.token(tenant, CoherenceClient.READ_WRITE))))
                .isEqualTo("FORBIDDEN");
        String otherAdmin = api.token("it-retention-other-" + UUID.randomUUID(), ADMIN);
        assertThat(code(api.graphql("run-retention.graphql", run, otherAdmin))).isEqualTo("FORBIDDEN");
        assertThat(code(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", true), otherAdmin)))
                .isEqualTo("FORBIDDEN");

        assertThat(api.signalCount(tenant)).isEqualTo(2);
        assertThat(retentionEntries(tenant)).isEmpty();
    }

    @Test
    void refusesMalformedArgumentsWithASpecificCodeAndDeletesNothing() {
        writeSignals(tenant, Instant.now().minus(Duration.ofDays(400)), 2);

        assertThat(violation(api.graphql("run-retention.graphql", Map.of("tenantId", "", "dryRun", false), admin)))
                .isEqualTo("BAD_USER_INPUT input.tenantId:REQUIRED");
        assertThat(violation(api.graphql("run-retention.graphql", Map.of("tenantId", "t".repeat(129), "dryRun", false), admin)))
                .isEqualTo("BAD_USER_INPUT input.tenantId:TOO_LONG");
        assertThat(violation(api.graphql("run-retention.graphql", Map.of("tenantId", tenant + "\u0000", "dryRun", false), admin)))
                .isEqualTo("BAD_USER_INPUT input.tenantId:NOT_PRINTABLE");
        // Variables the document's types refuse: the error names the variable (graphql-java words it).
        assertVariableRefused(api.graphql("run-retention.graphql", Map.of("tenantId", tenant), admin), "dryRun");
        assertVariableRefused(api.graphql("run-retention.graphql", Map.of("tenantId", tenant, "dryRun", "yes"), admin),
                "dryRun");
        // A list where the ID goes is read as its text, "[...]": another tenant, refused.
        assertThat(code(api.graphql("run-retention.graphql", Map.of("tenantId", List.of(tenant), "dryRun", false), admin)))
                .isEqualTo("FORBIDDEN");

        assertThat(api.signalCount(tenant)).isEqualTo(2);
        assertThat(retentionEntries(tenant)).isEmpty();
    }

    /**
     * Signals as ingest stores them (tenant node, EMITS, version and sequence), with a {@code ts}
     * ingest would refuse today; returns their provenance ids.
     */
    private static List<String> writeSignals(String tenantId, Instant ts, int count) {
        List<String> provenanceIds = java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> "it-prov-" + UUID.randomUUID()).toList();
        try (var session = neo4j.session()) {
            session.executeWriteWithoutResult(tx -> tx.run("""
                    MERGE (t:Tenant {tenant_id: $tenantId})
                    WITH t
                    UNWIND $provenanceIds AS provenanceId
                    CREATE (t)-[:EMITS]->(s:Signal {tenant_id: $tenantId, source: 'it', signal_id: provenanceId, ts: $ts,
                                                    type: 'latency', value: 0.5, weight: 1.0, provenance_id: provenanceId,
                                                    request_hash: 'h', channel: 'http', origin: 'it'})
                    SET t.signal_version = coalesce(t.signal_version, 0) + 1
                    SET s.sequence = t.signal_version
                    """, Values.parameters("tenantId", tenantId, "provenanceIds", provenanceIds,
                    "ts", ts.atZone(ZoneOffset.UTC))).consume());
        }
        return provenanceIds;
    }

    private static List<Record> retentionEntries(String tenantId) {
        try (var session = neo4j.session()) {
            return session.run("""
                    MATCH (e:LedgerEntry {tenant_id: $tenantId, action: 'RETENTION'})
                    RETURN e.summary AS summary, e.digest AS digest ORDER BY e.sequence
                    """, Values.parameters("tenantId", tenantId)).list();
        }
    }

    private static Record scoreNode(String tenantId) {
        try (var session = neo4j.session()) {
            return session.run("""
                    MATCH (t:Tenant {tenant_id: $tenantId})-[:HAS_SCORE]->(c:CoherenceScore)
                    RETURN c.updated_at AS updatedAt, c.scored_version AS scoredVersion, t.signal_version AS version
                    """, Values.parameters("tenantId", tenantId)).single();
        }
    }

    private static boolean scoreRow(String tenantId) {
        try (Connection c = postgres.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM coherence_scores WHERE tenant_id = ?")) {
            ps.setString(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scheduled run's last outcome, once the timer ran it. */
    private static Optional<String> scheduledRun() {
        try (Connection c = postgres.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT last_outcome FROM retention_runs WHERE job = 'retention'")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            // The table appears with the application's migrations.
            return Optional.empty();
        }
    }

    private static double gauge(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(-1);
    }

    private static JsonObject report(JsonObject answer) {
        assertThat(answer.containsKey("errors")).as(answer.toString()).isFalse();
        return answer.getJsonObject("data").getJsonObject("runRetention");
    }

    private static String code(JsonObject answer) {
        return answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code");
    }

    private static void assertVariableRefused(JsonObject answer, String variable) {
        assertThat(!answer.containsKey("data") || answer.isNull("data")).as(answer.toString()).isTrue();
        assertThat(code(answer)).as(answer.toString()).isIn("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED");
        assertThat(answer.getJsonArray("errors").getJsonObject(0).getString("message")).contains(variable);
    }

    private static String violation(JsonObject answer) {
        JsonObject extensions = answer.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions");
        JsonObject v = extensions.getJsonArray("violations").getJsonObject(0);
        return extensions.getString("code") + " " + v.getString("field") + ":" + v.getString("code");
    }
}
