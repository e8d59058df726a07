package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerChecker;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.LedgerTime;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionContext;

/**
 * The provenance ledger in the graph: {@code (:LedgerEntry)} nodes, one chain per tenant, with the
 * chain's head (last sequence and hash) on the tenant's node. Entries are appended inside the
 * transaction that makes the change they record, so a change and its entry commit together or not
 * at all, also across a crash. Appending takes the tenant node's write lock (if the transaction does
 * not hold it yet), which serializes the chain per tenant.
 */
@ApplicationScoped
public class Neo4jLedger implements ProvenanceLedger {

    /** Reads (and write-locks) each tenant's head, creating the tenant node if needed. */
    static final String HEADS = """
            UNWIND $tenants AS tenantId
            MERGE (t:Tenant {tenant_id: tenantId})
            SET t.ledger_sequence = coalesce(t.ledger_sequence, 0)
            RETURN tenantId, t.ledger_sequence AS sequence, t.ledger_hash AS hash
            """;

    /** Entries in chain order; the head ends at the last one of each tenant. */
    static final String CREATE = """
            UNWIND $entries AS e
            MATCH (t:Tenant {tenant_id: e.tenantId})
            CREATE (:LedgerEntry {tenant_id: e.tenantId, sequence: e.sequence, at: e.at, action: e.action,
                                  summary: e.summary, digest: e.digest, prev_hash: e.prevHash, hash: e.hash})
            SET t.ledger_sequence = e.sequence, t.ledger_hash = e.hash
            """;

    static final String PAGE = """
            MATCH (e:LedgerEntry {tenant_id: $tenantId})
            WHERE e.sequence > $after
            RETURN e.sequence AS sequence, e.at AS at, e.action AS action, e.summary AS summary,
                   e.digest AS digest, e.prev_hash AS prevHash, e.hash AS hash
            ORDER BY e.sequence LIMIT $limit
            """;

    static final String HEAD = "MATCH (t:Tenant {tenant_id: $tenantId}) RETURN t.ledger_sequence AS sequence";

    private static final int PAGE_SIZE = 1000;

    private final Driver driver;

    /** One change to record: whose, what kind, a non-personal summary and the payload's digest. */
    public record Append(String tenantId, LedgerAction action, String summary, String digest) {
    }

    /** For the CDI client proxy only. */
    protected Neo4jLedger() {
        this(null);
    }

    @Inject
    public Neo4jLedger(Driver driver) {
        this.driver = driver;
    }

    /**
     * Appends the entries, in the order given, to their tenants' chains within {@code tx}, all
     * stamped {@code at}; returns them as stored.
     */
    public List<LedgerEntry> append(TransactionContext tx, List<Append> appends, Instant at) {
        if (appends.isEmpty()) {
            return List.of();
        }
        List<String> tenants = appends.stream().map(Append::tenantId).distinct().sorted().toList();
        Map<String, long[]> sequences = new HashMap<>();
        Map<String, String> hashes = new HashMap<>();
        for (Record r : tx.run(HEADS, Map.of("tenants", tenants)).list()) {
            String tenant = r.get("tenantId").asString();
            sequences.put(tenant, new long[] {r.get("sequence").asLong()});
            hashes.put(tenant, r.get("hash").isNull() ? LedgerEntry.GENESIS : r.get("hash").asString());
        }
        Instant stamp = LedgerTime.of(at);
        List<LedgerEntry> entries = new ArrayList<>(appends.size());
        List<Map<String, Object>> rows = new ArrayList<>(appends.size());
        for (Append a : appends) {
            long sequence = ++sequences.get(a.tenantId())[0];
            LedgerEntry entry = LedgerEntry.link(a.tenantId(), sequence, stamp, a.action(), a.summary(), a.digest(),
                    hashes.get(a.tenantId()));
            hashes.put(a.tenantId(), entry.hash());
            entries.add(entry);
            rows.add(Map.of("tenantId", entry.tenantId(), "sequence", entry.sequence(), "at", LedgerTime.format(stamp),
                    "action", entry.action().name(), "summary", entry.summary(), "digest", entry.digest(),
                    "prevHash", entry.prevHash(), "hash", entry.hash()));
        }
        tx.run(CREATE, Map.of("entries", rows)).consume();
        return entries;
    }

    @Override
    public LedgerEntry record(TenantId tenant, LedgerAction action, String summary, String digest) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeWrite(tx -> append(tx, List.of(new Append(tenant.value(), action, summary, digest)),
                    Instant.now()).get(0));
        }
    }

    /**
     * Checks a tenant's chain page by page, and that it ends at the head the tenant node records
     * (an entry removed from the end is a break too).
     */
    @Override
    public LedgerVerification verify(TenantId tenant) {
        String tenantId = tenant.value();
        LedgerChecker checker = new LedgerChecker(tenantId);
        long last = 0;
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            while (true) {
                List<Record> page = session.run(PAGE, Map.of("tenantId", tenantId, "after", last, "limit", PAGE_SIZE)).list();
                for (Record r : page) {
                    LedgerEntry entry = entry(tenantId, r);
                    checker.accept(entry);
                    last = entry.sequence();
                }
                if (page.size() < PAGE_SIZE) {
                    break;
                }
            }
            List<Record> head = session.run(HEAD, Map.of("tenantId", tenantId)).list();
            long headSequence = head.isEmpty() || head.get(0).get("sequence").isNull() ? 0 : head.get(0).get("sequence").asLong();
            LedgerVerification chain = checker.result();
            if (headSequence > last && chain.valid()) {
                return new LedgerVerification(chain.entries(), false, last + 1);
            }
            return chain;
        }
    }

    static LedgerEntry entry(String tenantId, Record r) {
        return new LedgerEntry(tenantId, r.get("sequence").asLong(), Instant.parse(r.get("at").asString()),
                LedgerAction.valueOf(r.get("action").asString()), r.get("summary").asString(), r.get("digest").asString(),
                r.get("prevHash").asString(), r.get("hash").asString());
    }
}
