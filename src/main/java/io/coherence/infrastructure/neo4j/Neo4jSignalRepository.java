package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.score.WindowTotals;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.SignalRepository;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.TenantId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionConfig;

/**
 * Signals in the graph: {@code (:Tenant)-[:EMITS]->(:Signal)}. One call is one transaction; the
 * uniqueness constraint on the identity makes concurrent duplicates merge instead of doubling. The
 * same transaction appends one INGEST ledger entry per tenant it created signals for, so no signal
 * commits without its entry: in the upsert statement when this replica predicted it right
 * ({@link LedgerTips}), else in a second statement.
 */
@ApplicationScoped
public class Neo4jSignalRepository implements SignalRepository {

    /**
     * A row with an assigned ts ({@code assignedTsOf} = its signal id, else null) takes the earliest
     * ts stored under its tenant, source and signal id, if any. The tenant's lock, taken first, makes
     * that lookup and the MERGE one step for concurrent writers. Each row carries a token unique to
     * this call and row; a node the row creates is marked with it (and unmarked before commit), which
     * is how the row learns it created the node in this transaction. Created signals bump the
     * tenant's version (the materializer's "pending" signal) and keep it as their sequence, so a
     * retried transaction that finds its own signal (same provenance id) can answer it again.
     * Once all rows ran (the collect), the transaction holds the write lock of every tenant it created
     * signals for. Each predicted INGEST entry in {@code $entries} (see {@link LedgerTips}) is then
     * written, and the tenant's head moved, only if the locked head and coverage are the predicted
     * ones and the rows that created signals of the tenant are exactly the predicted rows with the
     * predicted sequences. Every row comes back with its tenant's head and whether its entry is
     * written ({@code ledgered}); for the other tenants that head is the one their entry follows,
     * read without a round trip of its own. The created signals are added to their tenant's
     * per-minute buckets ({@link SignalBuckets}) after the collect, under the tenant's lock.
     */
    static final String UPSERT = """
            UNWIND $rows AS row
            MERGE (t:Tenant {tenant_id: row.tenantId})
              ON CREATE SET t.bucketed_version = 0
            WITH t, row, coalesce(head(COLLECT {
                MATCH (stored:Signal {tenant_id: row.tenantId, source: row.source, signal_id: row.assignedTsOf})
                RETURN stored.ts ORDER BY stored.ts LIMIT 1 }), row.ts) AS ts
            MERGE (s:Signal {tenant_id: row.tenantId, source: row.source, signal_id: row.signalId, ts: ts})
              ON CREATE SET s.type = row.type, s.value = row.value, s.weight = row.weight,
                            s.provenance_id = row.provenanceId, s.request_hash = row.requestHash,
                            s.channel = row.channel, s.origin = row.origin, s.purpose = row.purpose, s.retention = row.retention,
                            s.license = row.license, s.residency = row.residency, s.ingested_at = datetime(),
                            s.created_by_write = row.writeToken
            WITH t, s, row, coalesce(s.created_by_write = row.writeToken, false) AS created
            FOREACH (_ IN CASE WHEN created THEN [1] ELSE [] END |
              CREATE (t)-[:EMITS]->(s)
              SET t.bucketed_version = CASE WHEN %1$s THEN t.bucketed_version + 1 ELSE t.bucketed_version END
              SET t.signal_version = coalesce(t.signal_version, 0) + 1
              SET s.sequence = t.signal_version
              REMOVE s.created_by_write)
            WITH collect({index: row.index, provenanceId: s.provenance_id, sequence: s.sequence, created: created, t: t,
                          tenantId: row.tenantId, ts: s.ts, value: s.value, weight: s.weight}) AS written
            WITH written, [w IN written WHERE w.created] AS added
            %2$s
            CALL (written) {
              UNWIND $entries AS e
              MATCH (t:Tenant {tenant_id: e.tenantId})
              WITH e, t
              WHERE coalesce(t.ledger_sequence, 0) = e.headSequence
                AND (e.headSequence = 0 OR t.ledger_hash = e.prevHash)
                AND coalesce(t.ledger_covered, 0) = e.coveredBefore
                AND [w IN written WHERE w.created AND w.t = t | [w.index, w.sequence]] = e.rows
              CREATE %3$s
              SET t.ledger_sequence = e.sequence, t.ledger_hash = e.hash, t.ledger_covered = e.coveredTo
              RETURN collect(e.tenantId) AS ledgered
            }
            UNWIND written AS w
            WITH w, w.t AS t, ledgered
            RETURN w.index AS index, w.provenanceId AS provenanceId, w.sequence AS sequence, w.created AS created,
                   t.tenant_id AS tenantId, t.ledger_sequence AS ledgerSequence, t.ledger_hash AS ledgerHash,
                   t.ledger_covered AS ledgerCovered, t.signal_version AS signalVersion, t.tenant_id IN ledgered AS ledgered
            """.formatted(SignalBuckets.COMPLETE, SignalBuckets.ADD.stripTrailing(), Neo4jLedger.ENTRY_NODE);

    /**
     * Runs first in every write transaction: takes the write lock of each existing tenant, in sorted
     * order, before the transaction holds any other lock, so concurrent writes of one tenant queue instead of deadlocking
     * (Neo4j retries a deadlock victim after a backoff of about a second). MATCH, not MERGE: MERGE
     * would take a shared lock first.
     */
    static final String LOCK_TENANTS = """
            UNWIND $tenants AS tenantId
            OPTIONAL MATCH (t:Tenant {tenant_id: tenantId})
            FOREACH (locked IN CASE WHEN t IS NULL THEN [] ELSE [t] END |
              SET locked.signal_version = coalesce(locked.signal_version, 0))
            """;

    /**
     * {@link #LOCK_TENANTS}, then {@link #UPSERT}, in one statement: the unit subquery runs once,
     * before the first row, so the locks are still taken first and in order, in one round trip.
     */
    static final String LOCK_AND_UPSERT = "CALL () {\n" + LOCK_TENANTS + "}\n" + UPSERT;

    /**
     * The window from its buckets ({@link SignalBuckets}): the buckets of the whole minutes from
     * {@code $fullMinute} on, plus the signals of the partial minute {@code [$from, $fullFrom)} read
     * one by one; no upper bound, so future-dated signals count. {@code bucketed} says whether the
     * buckets hold every signal of the tenant; when not, {@link #WINDOW_SCAN} is read instead. No
     * branch on it inside the statement, so the plan never reaches the tenant's other signals.
     */
    static final String WINDOW_BUCKETS = """
            OPTIONAL MATCH (t:Tenant {tenant_id: $tenantId})
            WITH t IS NOT NULL AND %s AS bucketed
            CALL () {
              MATCH (b:SignalBucket)
              WHERE b.tenant_id = $tenantId AND b.minute >= $fullMinute
              RETURN sum(b.weighted_value_sum) AS bucketWeighted, sum(b.weight_sum) AS bucketWeights, sum(b.count) AS bucketCount
            }
            CALL () {
              MATCH (s:Signal)
              WHERE s.tenant_id = $tenantId AND s.ts >= $from AND s.ts < $fullFrom
              WITH s, CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
              RETURN sum(s.value * weight) AS edgeWeighted, sum(weight) AS edgeWeights, count(s) AS edgeCount
            }
            RETURN bucketed, bucketWeighted + edgeWeighted AS weightedValueSum, bucketWeights + edgeWeights AS weightSum,
                   bucketCount + edgeCount AS count
            """.formatted(SignalBuckets.COMPLETE);

    /**
     * Every signal of the tenant since {@code $from}: the window of a tenant whose buckets miss
     * signals. A weight above the maximum (stored before ingest bounded it) counts as the maximum,
     * as in {@code WindowTotals.plus}: two weights of 1e308 would overflow the sums.
     */
    static final String WINDOW_SCAN = """
            MATCH (s:Signal)
            WHERE s.tenant_id = $tenantId AND s.ts >= $from
            WITH s, CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
            RETURN coalesce(sum(s.value * weight), 0.0) AS weightedValueSum,
                   coalesce(sum(weight), 0.0) AS weightSum, count(s) AS count
            """;

    /** Neo4j ends a window read that runs longer than this (a server-side bound). */
    private static final TransactionConfig READ_TIMEOUT = TransactionConfig.builder().withTimeout(Duration.ofSeconds(5)).build();

    private final Driver driver;
    private final Neo4jLedger ledger;
    private final Clock clock;
    private final LedgerTips tips = new LedgerTips();
    private final AtomicLong entriesInUpsert = new AtomicLong();

    /**
     * Transaction size and duration ({@code ingest_transaction_signals}, {@code ingest_transaction_duration_seconds});
     * INGEST entries written in the upsert or in a statement of their own
     * ({@code ledger_ingest_entries_total{statement="upsert"|"separate"}}).
     */
    @Inject
    MetricRegistry metrics;

    /** For the CDI client proxy only. */
    protected Neo4jSignalRepository() {
        this(null, null, Clock.systemUTC());
    }

    /** With its own ledger adapter and the system clock (tests). */
    public Neo4jSignalRepository(Driver driver) {
        this(driver, new Neo4jLedger(driver), Clock.systemUTC());
    }

    @Inject
    public Neo4jSignalRepository(Driver driver, Neo4jLedger ledger, Clock clock) {
        this.driver = driver;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Behind a circuit breaker: once most recent writes failed (Neo4j down), writes fail at once for
     * a few seconds instead of each waiting out the driver's retries; HTTP callers get 503
     * STORE_UNAVAILABLE sooner and the Kafka consumer backs off. It shows in the metrics as
     * {@code ft_circuitbreaker_opened_total} and {@code ft_circuitbreaker_calls_total}.
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j save signals", kind = SpanKind.CLIENT)
    public List<WriteOutcome> saveAll(List<Signal> signals) {
        if (signals.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>(signals.size());
        String write = UUID.randomUUID().toString();
        Map<List<String>, Instant> firstTs = new HashMap<>();
        for (int i = 0; i < signals.size(); i++) {
            Signal signal = signals.get(i);
            Map<String, Object> row = row(i, signal);
            row.put("writeToken", write + ":" + i);
            // An assigned ts yields to the first signal of the list with the same id, as to a stored one.
            SignalIdentity id = signal.identity();
            Instant ts = firstTs.computeIfAbsent(List.of(id.tenant().value(), id.source(), id.signalId()), k -> id.ts());
            if (signal.tsAssigned()) {
                row.put("ts", utc(ts));
                row.put("assignedTsOf", id.signalId());
            }
            rows.add(row);
        }
        // Tenant by tenant, as the locks are taken; the sort is stable, so duplicates keep their order.
        rows.sort(Comparator.comparing(r -> (String) r.get("tenantId")));
        List<String> tenants = rows.stream().map(r -> (String) r.get("tenantId")).distinct().toList();
        Instant at = clock.instant();
        List<Map<String, Object>> predicted = tips.predict(rows, at);
        Written written;
        long started = System.nanoTime();
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            written = session.executeWrite(tx -> {
                List<Record> upserted = tx.run(LOCK_AND_UPSERT, Map.of("tenants", tenants, "rows", rows, "entries", predicted, "maxWeight", Signal.MAX_WEIGHT)).list();
                IngestLedger entries = IngestLedger.of(signals, upserted);
                List<LedgerEntry> appended = ledger.appendAfter(tx, entries.heads(), entries.appends(), at);
                return new Written(upserted, LedgerTips.after(upserted, entries.appends(), appended), entries.ledgered(),
                        entries.appends().size());
            });
        } catch (RuntimeException e) {
            tips.forget(tenants);
            throw e;
        }
        tips.learn(written.tips());
        entriesInUpsert.addAndGet(written.ledgered());
        if (metrics != null) {
            metrics.counter("ledger_ingest_entries", new Tag("statement", "upsert")).inc(written.ledgered());
            metrics.counter("ledger_ingest_entries", new Tag("statement", "separate")).inc(written.separate());
            metrics.histogram("ingest_transaction_signals").update(signals.size());
            metrics.timer("ingest_transaction_duration").update(Duration.ofNanos(System.nanoTime() - started));
        }
        return outcomes(signals, written.rows());
    }

    /** What a committed write transaction returned, and what this replica learned of the tenants' chains. */
    private record Written(List<Record> rows, Map<String, LedgerTips.Tip> tips, int ledgered, int separate) {
    }

    /** How many INGEST entries this repository wrote in the upsert statement itself (tests). */
    long entriesInUpsert() {
        return entriesInUpsert.get();
    }

    /**
     * A signal is accepted when the stored node carries its provenance id: created by this
     * transaction, or by an earlier attempt of this same write whose acknowledgement was lost (the
     * driver retries the transaction function then). Only the first row of a provenance id counts.
     */
    static List<WriteOutcome> outcomes(List<Signal> signals, List<Record> written) {
        WriteOutcome[] outcomes = new WriteOutcome[signals.size()];
        Set<String> answered = new HashSet<>();
        List<Record> byIndex = new ArrayList<>(written);
        byIndex.sort(Comparator.comparingInt(r -> r.get("index").asInt()));
        for (Record r : byIndex) {
            int index = r.get("index").asInt();
            String stored = r.get("provenanceId").asString();
            boolean own = stored.equals(signals.get(index).provenance().provenanceId()) && answered.add(stored);
            outcomes[index] = own ? WriteOutcome.accepted(stored, r.get("sequence").asLong()) : WriteOutcome.duplicate(stored);
        }
        return Arrays.asList(outcomes);
    }

    /**
     * Auto-commit reads (the buckets; the signals too when the buckets miss some), not a managed
     * transaction: the driver would retry a managed one for up to its retry time (10 s) while Neo4j
     * is down, and this read is on the degraded read path,
     * where the caller should learn at once that the score is unavailable. Its callers retry by
     * themselves (the materializer on its next tick). Behind a circuit breaker like the writes.
     */
    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000)
    @WithSpan(value = "neo4j window totals", kind = SpanKind.CLIENT)
    public WindowTotals windowTotals(TenantId tenant, Instant from) {
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            long fullMinute = SignalBuckets.minuteOf(from.minusNanos(1)) + 1;
            Map<String, Object> parameters = Map.of("tenantId", tenant.value(), "from", utc(from),
                    "fullMinute", fullMinute, "fullFrom", utc(SignalBuckets.startOf(fullMinute)), "maxWeight", Signal.MAX_WEIGHT);
            Record r = session.run(WINDOW_BUCKETS, parameters, READ_TIMEOUT).single();
            if (!r.get("bucketed").asBoolean()) {
                r = session.run(WINDOW_SCAN, parameters, READ_TIMEOUT).single();
            }
            return new WindowTotals(r.get("weightedValueSum").asDouble(), r.get("weightSum").asDouble(),
                    r.get("count").asLong());
        }
    }

    private static Map<String, Object> row(int index, Signal s) {
        Map<String, Object> row = new HashMap<>();
        row.put("index", index);
        row.put("tenantId", s.tenant().value());
        row.put("source", s.identity().source());
        row.put("signalId", s.identity().signalId());
        row.put("ts", utc(s.ts()));
        row.put("type", s.type());
        row.put("value", s.value());
        row.put("weight", s.weight());
        row.put("provenanceId", s.provenance().provenanceId());
        row.put("requestHash", s.provenance().requestHash());
        row.put("channel", s.provenance().channel());
        row.put("origin", s.provenance().origin());
        row.put("purpose", s.provenance().tags().purpose());
        row.put("retention", s.provenance().tags().retention());
        row.put("license", s.provenance().tags().license());
        row.put("residency", s.provenance().tags().residency());
        return row;
    }

    /** Timestamps are stored as UTC datetimes so equal instants compare equal in the identity. */
    static ZonedDateTime utc(Instant instant) {
        return instant.atZone(ZoneOffset.UTC);
    }
}
