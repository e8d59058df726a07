package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerChecker;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.LedgerExport;
import io.coherence.domain.provenance.LedgerExporter;
import io.coherence.domain.provenance.LedgerTime;
import io.coherence.domain.provenance.LedgerVerification;
import io.coherence.domain.provenance.ProvenanceLedger;
import io.coherence.domain.provenance.StoredLedgerEntry;
import io.coherence.domain.tenant.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.neo4j.driver.AccessMode;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.SessionConfig;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;
import org.neo4j.driver.types.TypeSystem;

/**
 * The provenance ledger in the graph: {@code (:LedgerEntry)} nodes, one chain per tenant, with the
 * chain's head (last sequence and hash) on the tenant's node, and there too the last signal sequence
 * an INGEST entry covers ({@code ledger_covered}). Entries are appended inside the transaction that
 * makes the change they record, so a change and its entry commit together or not at all, also across
 * a crash. Appending takes the tenant node's write lock (if the transaction does not hold it yet),
 * which serializes the chain per tenant.
 */
@ApplicationScoped
public class Neo4jLedger implements ProvenanceLedger, LedgerExporter {

    /**
     * Reads (and write-locks) each tenant's head, creating the tenant node if needed (without
     * signals, so its signal buckets are complete: {@link SignalBuckets}).
     */
    static final String HEADS = """
            UNWIND $tenants AS tenantId
            MERGE (t:Tenant {tenant_id: tenantId})
              ON CREATE SET t.bucketed_version = 0
            SET t.ledger_sequence = coalesce(t.ledger_sequence, 0)
            RETURN tenantId, t.ledger_sequence AS sequence, t.ledger_hash AS hash
            """;

    /** An entry node from a row {@code e} made by {@link #row}. */
    static final String ENTRY_NODE = """
            (:LedgerEntry {tenant_id: e.tenantId, sequence: e.sequence, at: e.at, action: e.action,
                           summary: e.summary, digest: e.digest, prev_hash: e.prevHash, hash: e.hash})""";

    /** Entries in chain order; the head ends at the last one of each tenant. */
    static final String CREATE = """
            UNWIND $entries AS e
            MATCH (t:Tenant {tenant_id: e.tenantId})
            CREATE %s
            SET t.ledger_sequence = e.sequence, t.ledger_hash = e.hash
            FOREACH (covered IN CASE WHEN e.coveredTo IS NULL THEN [] ELSE [e.coveredTo] END |
              SET t.ledger_covered = covered)
            """.formatted(ENTRY_NODE);

    /** A page of a tenant's entries in chain order, as stored. */
    static final String PAGE = """
            MATCH (e:LedgerEntry {tenant_id: $tenantId})
            WHERE e.sequence > $after
            RETURN e.sequence AS sequence, e.at AS at, e.action AS action, e.summary AS summary,
                   e.digest AS digest, e.prev_hash AS prevHash, e.hash AS hash
            ORDER BY e.sequence LIMIT $limit
            """;

    /** Entries up to the head read before them: ones appended meanwhile belong to a later check. */
    static final String PAGE_UP_TO = """
            MATCH (e:LedgerEntry {tenant_id: $tenantId})
            WHERE e.sequence > $after AND e.sequence <= $upTo
            RETURN e.sequence AS sequence, e.at AS at, e.action AS action, e.summary AS summary,
                   e.digest AS digest, e.prev_hash AS prevHash, e.hash AS hash
            ORDER BY e.sequence LIMIT $limit
            """;

    /** The tenant's own record of its chain's head and of the signals it created (read together). */
    static final String HEAD = """
            MATCH (t:Tenant {tenant_id: $tenantId})
            RETURN t.ledger_sequence AS sequence, t.ledger_hash AS hash, t.signal_version AS signals
            """;

    private static final int PAGE_SIZE = 1000;

    private final Driver driver;
    private final Clock clock;

    /**
     * One change to record: whose, what kind, a non-personal summary and the payload's digest; for
     * an INGEST entry, the last tenant signal sequence it covers.
     */
    public record Append(String tenantId, LedgerAction action, String summary, String digest, Long coveredTo) {

        public Append(String tenantId, LedgerAction action, String summary, String digest) {
            this(tenantId, action, summary, digest, null);
        }
    }

    /** A tenant's chain head, read under the tenant's write lock: last sequence (0: none) and hash. */
    public record Head(long sequence, String hash) {

        public static final Head EMPTY = new Head(0, LedgerEntry.GENESIS);
    }

    /** For the CDI client proxy only. */
    protected Neo4jLedger() {
        this(null, Clock.systemUTC());
    }

    /** With the system clock (tests and tools). */
    public Neo4jLedger(Driver driver) {
        this(driver, Clock.systemUTC());
    }

    @Inject
    public Neo4jLedger(Driver driver, Clock clock) {
        this.driver = driver;
        this.clock = clock;
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
        Map<String, Head> heads = new HashMap<>();
        for (Record r : tx.run(HEADS, Map.of("tenants", tenants)).list()) {
            heads.put(r.get("tenantId").asString(), head(r.get("sequence"), r.get("hash")));
        }
        return appendAfter(tx, heads, appends, at);
    }

    /**
     * Like {@link #append}, with the heads the transaction already read while holding each tenant's
     * write lock (ingest reads them in its own write query, saving a round trip); a tenant missing
     * from {@code heads} has none.
     */
    public List<LedgerEntry> appendAfter(TransactionContext tx, Map<String, Head> heads, List<Append> appends, Instant at) {
        if (appends.isEmpty()) {
            return List.of();
        }
        Map<String, Head> chain = new HashMap<>(heads);
        Instant stamp = LedgerTime.of(at);
        List<LedgerEntry> entries = new ArrayList<>(appends.size());
        List<Map<String, Object>> rows = new ArrayList<>(appends.size());
        for (Append a : appends) {
            Head head = chain.getOrDefault(a.tenantId(), Head.EMPTY);
            LedgerEntry entry = LedgerEntry.link(a.tenantId(), head.sequence() + 1, stamp, a.action(), a.summary(),
                    a.digest(), head.hash());
            chain.put(a.tenantId(), new Head(entry.sequence(), entry.hash()));
            entries.add(entry);
            rows.add(row(entry, a.coveredTo()));
        }
        tx.run(CREATE, Map.of("entries", rows)).consume();
        return entries;
    }

    /** The parameter row {@link #ENTRY_NODE} and {@link #CREATE} store an entry from. */
    static Map<String, Object> row(LedgerEntry entry, Long coveredTo) {
        Map<String, Object> row = new HashMap<>();
        row.put("tenantId", entry.tenantId());
        row.put("sequence", entry.sequence());
        row.put("at", LedgerTime.format(entry.at()));
        row.put("action", entry.action().name());
        row.put("summary", entry.summary());
        row.put("digest", entry.digest());
        row.put("prevHash", entry.prevHash());
        row.put("hash", entry.hash());
        row.put("coveredTo", coveredTo);
        return row;
    }

    static Head head(Value sequence, Value hash) {
        long last = sequence.isNull() ? 0 : sequence.asLong();
        return last == 0 ? Head.EMPTY : new Head(last, hash.isNull() ? LedgerEntry.GENESIS : hash.asString());
    }

    @Override
    public LedgerEntry record(TenantId tenant, LedgerAction action, String summary, String digest) {
        try (var session = driver.session(SessionConfig.defaultConfig())) {
            return session.executeWrite(tx -> append(tx, List.of(new Append(tenant.value(), action, summary, digest)),
                    clock.instant()).get(0));
        }
    }

    /**
     * Checks a tenant's chain page by page against the head and signal count the tenant node
     * records, read first (see {@link LedgerChecker#result(long, String, long)}).
     */
    @Override
    public LedgerVerification verify(TenantId tenant) {
        LedgerChecker checker = new LedgerChecker(tenant.value());
        StoredHead head = read(tenant, checker::accept);
        return checker.result(head.sequence(), head.hash(), head.signals());
    }

    @Override
    public void export(TenantId tenant, Writer out) throws IOException {
        StoredHead head = readHead(tenant);
        out.write(LedgerExport.header(tenant.value(), head.sequence(), head.hash(), head.signals()));
        try {
            readEntries(tenant, head.sequence(), e -> {
                try {
                    out.write(LedgerExport.line(e));
                } catch (IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** What the tenant node records: its chain's head (0 and null hash when none) and its signal count. */
    record StoredHead(long sequence, String hash, long signals) {
    }

    private StoredHead read(TenantId tenant, Consumer<StoredLedgerEntry> entries) {
        StoredHead head = readHead(tenant);
        readEntries(tenant, head.sequence(), entries);
        return head;
    }

    private StoredHead readHead(TenantId tenant) {
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            List<Record> rows = session.run(HEAD, Map.of("tenantId", tenant.value())).list();
            if (rows.isEmpty()) {
                return new StoredHead(0, null, 0);
            }
            Record r = rows.get(0);
            return new StoredHead(number(r.get("sequence")), text(r.get("hash")), number(r.get("signals")));
        }
    }

    /** The entries up to {@code upTo} as stored, whatever they hold (a garbage field is the checker's to judge). */
    private void readEntries(TenantId tenant, long upTo, Consumer<StoredLedgerEntry> entries) {
        Object after = 0L;
        try (var session = driver.session(SessionConfig.builder().withDefaultAccessMode(AccessMode.READ).build())) {
            while (true) {
                List<Record> page = session.run(PAGE_UP_TO, Map.of("tenantId", tenant.value(), "after", after, "upTo", upTo,
                        "limit", PAGE_SIZE)).list();
                for (Record r : page) {
                    entries.accept(stored(r));
                    // Only a number passes the WHERE (an edited one may be fractional): page on from it as stored.
                    after = r.get("sequence").asObject();
                }
                if (page.size() < PAGE_SIZE) {
                    return;
                }
            }
        }
    }

    /** A row of {@link #PAGE} as an entry of the tenant; throws when the stored fields make none. */
    static LedgerEntry entry(String tenantId, Record r) {
        return stored(r).entry(tenantId).orElseThrow(() -> new IllegalStateException("not a ledger entry: " + r));
    }

    static StoredLedgerEntry stored(Record r) {
        return new StoredLedgerEntry(text(r.get("sequence")), text(r.get("at")), text(r.get("action")), text(r.get("summary")),
                text(r.get("digest")), text(r.get("prevHash")), text(r.get("hash")));
    }

    /** A stored value as text: null when missing, a string as it is, anything else as Neo4j prints it. */
    static String text(Value v) {
        if (v.isNull()) {
            return null;
        }
        TypeSystem types = TypeSystem.getDefault();
        if (v.hasType(types.STRING())) {
            return v.asString();
        }
        return v.hasType(types.INTEGER()) ? Long.toString(v.asLong()) : v.toString();
    }

    private static long number(Value v) {
        return v.isNull() || !v.hasType(TypeSystem.getDefault().INTEGER()) ? 0 : v.asLong();
    }
}
