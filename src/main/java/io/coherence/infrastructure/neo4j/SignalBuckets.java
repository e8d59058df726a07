package io.coherence.infrastructure.neo4j;

import io.coherence.domain.signal.Signal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.neo4j.driver.Driver;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.exceptions.Neo4jException;

/**
 * Per-tenant, per-minute sums of the signals: {@code (:SignalBucket {tenant_id, minute})} with
 * Σ value·weight, Σ weight and the count, the weight counted as at most {@link Signal#MAX_WEIGHT}
 * as in {@code WindowTotals.plus}. {@code minute} is the epoch second of the signal's ts divided
 * by 60, rounded down. Every statement that creates or deletes signals keeps them in the same
 * transaction, after it holds the tenant's write lock, so buckets of one tenant change one
 * transaction at a time. The tenant's {@code bucketed_version} says the buckets hold every signal:
 * it equals {@code signal_version} then; a signal written by anything else (an older release during
 * a rolling upgrade) bumps only {@code signal_version}, and the window is read from the signals
 * until {@link #backfill} rebuilt the tenant's buckets.
 */
public final class SignalBuckets {

    private static final Logger LOG = Logger.getLogger(SignalBuckets.class.getName());

    /** Buckets hold every signal of tenant {@code t}. */
    static final String COMPLETE = "(t.bucketed_version IS NOT NULL AND t.bucketed_version = coalesce(t.signal_version, 0))";

    /**
     * Adds the rows of list {@code added} ({@code tenantId, ts, value, weight}) to their buckets;
     * a unit subquery, so it keeps the rows around it.
     */
    static final String ADD = """
            CALL (added) {
              UNWIND added AS a
              WITH a.tenantId AS tenantId, %s AS minute, a.value AS value,
                   CASE WHEN a.weight > $maxWeight THEN $maxWeight ELSE a.weight END AS weight
              WITH tenantId, minute, sum(value * weight) AS weighted, sum(weight) AS weights, count(*) AS n
              MERGE (b:SignalBucket {tenant_id: tenantId, minute: minute})
                ON CREATE SET b.weighted_value_sum = 0.0, b.weight_sum = 0.0, b.count = 0
              SET b.weighted_value_sum = b.weighted_value_sum + weighted, b.weight_sum = b.weight_sum + weights,
                  b.count = b.count + n
            }
            """.formatted(minute("a.ts"));

    /**
     * Takes the rows of list {@code removed} out of their buckets; a bucket left without signals
     * goes (so an emptied minute is exactly zero again). Subtraction can leave a sum a rounding
     * error below zero, where no signal's sum can be: it stays at zero. A value or weight that is
     * not a number (stored by hand, never by ingest) was never in a bucket: its row is skipped, so
     * such a signal can still be deleted.
     */
    static final String SUBTRACT = """
            CALL (removed) {
              UNWIND removed AS r
              WITH r WHERE valueType(r.value) IN ['FLOAT NOT NULL', 'INTEGER NOT NULL']
                       AND valueType(r.weight) IN ['FLOAT NOT NULL', 'INTEGER NOT NULL']
              WITH r.tenantId AS tenantId, %s AS minute, r.value AS value,
                   CASE WHEN r.weight > $maxWeight THEN $maxWeight ELSE r.weight END AS weight
              WITH tenantId, minute, sum(value * weight) AS weighted, sum(weight) AS weights, count(*) AS n
              MATCH (b:SignalBucket {tenant_id: tenantId, minute: minute})
              SET b.count = b.count - n,
                  b.weighted_value_sum = CASE WHEN b.weighted_value_sum - weighted < 0 THEN 0.0 ELSE b.weighted_value_sum - weighted END,
                  b.weight_sum = CASE WHEN b.weight_sum - weights < 0 THEN 0.0 ELSE b.weight_sum - weights END
              WITH b WHERE b.count <= 0
              DELETE b
            }
            """.formatted(minute("r.ts"));

    /** Tenants whose buckets miss signals, by id, a page at a time. */
    static final String INCOMPLETE = """
            MATCH (t:Tenant)
            WHERE t.tenant_id > $after AND NOT %s
            RETURN t.tenant_id AS tenantId ORDER BY tenantId LIMIT $limit
            """.formatted(COMPLETE);

    /** After the tenant's lock: its buckets again from all its signals. */
    static final String REBUILD = """
            MATCH (t:Tenant {tenant_id: $tenantId})
            CALL (t) {
              MATCH (b:SignalBucket {tenant_id: t.tenant_id})
              WHERE b.minute IS NOT NULL
              DELETE b
            }
            CALL (t) {
              MATCH (s:Signal {tenant_id: t.tenant_id})
              WHERE s.ts IS NOT NULL
              WITH %s AS minute, s.value AS value,
                   CASE WHEN s.weight > $maxWeight THEN $maxWeight ELSE s.weight END AS weight
              WITH minute, sum(value * weight) AS weighted, sum(weight) AS weights, count(*) AS n
              CREATE (:SignalBucket {tenant_id: t.tenant_id, minute: minute, weighted_value_sum: weighted,
                                     weight_sum: weights, count: n})
            }
            SET t.bucketed_version = coalesce(t.signal_version, 0)
            """.formatted(minute("s.ts"));

    private SignalBuckets() {
    }

    /** The bucket of a ts in Cypher: whole minutes since the epoch, rounded down also before 1970. */
    static String minute(String ts) {
        return "((%1$s.epochSeconds - ((%1$s.epochSeconds %% 60) + 60) %% 60) / 60)".formatted(ts);
    }

    /** The bucket of a ts, as {@link #minute(String)} computes it in the graph. */
    static long minuteOf(Instant ts) {
        return Math.floorDiv(ts.getEpochSecond(), 60);
    }

    /** The first instant of a bucket. */
    static Instant startOf(long minute) {
        return Instant.ofEpochSecond(minute * 60);
    }

    /**
     * Builds the buckets of every tenant whose buckets miss signals (signals stored before buckets
     * existed, or by an older release), each tenant in its own transaction under its lock, so
     * ingest of that tenant waits instead of racing it. Returns how many tenants it rebuilt.
     */
    public static int backfill(Driver driver) {
        int rebuilt = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String> page;
            try (var session = driver.session(SessionConfig.defaultConfig())) {
                page = session.executeRead(tx -> tx.run(INCOMPLETE, Map.of("after", from, "limit", 100))
                        .list(r -> r.get("tenantId").asString()));
                for (String tenant : page) {
                    try {
                        session.executeWriteWithoutResult(tx -> {
                            tx.run(Neo4jSignalRepository.LOCK_TENANTS, Map.of("tenants", List.of(tenant))).consume();
                            tx.run(REBUILD, Map.of("tenantId", tenant, "maxWeight", Signal.MAX_WEIGHT)).consume();
                        });
                        rebuilt++;
                    } catch (Neo4jException e) {
                        // A signal whose value is not a number: the tenant's window stays read from its
                        // signals, where scoring it fails and backs off as before; the start goes on.
                        LOG.warning(() -> "Signal buckets of tenant_id=" + tenant + " not built: " + e.getMessage());
                    }
                }
            }
            if (page.size() < 100) {
                int done = rebuilt;
                if (done > 0) {
                    LOG.info(() -> "Signal buckets built for " + done + " tenants");
                }
                return done;
            }
            after = page.get(page.size() - 1);
        }
    }
}
