package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.IngestCommit;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.provenance.LedgerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.neo4j.driver.Record;

/**
 * What this replica last saw of each tenant's chain after its own ingest commits, so an ingest
 * transaction can carry its INGEST entry ready-made and write it in its upsert statement instead of
 * a second statement inside the tenant's lock. A tip is only a guess: the statement writes the
 * entry only if the locked head and the signals it created are exactly the predicted ones, else
 * the transaction appends the entry as before. Another replica's write, a retention, erasure or
 * policy entry, a duplicate or a retried transaction therefore costs one statement, never a wrong
 * entry. At most {@link #MAX_TENANTS} tenants are remembered; beyond that the memory starts over.
 */
final class LedgerTips {

    static final int MAX_TENANTS = 10_000;

    /** A tenant's head and its signal count, where every signal is covered by an INGEST entry. */
    record Tip(long ledgerSequence, String ledgerHash, long signals) {
    }

    private final Map<String, Tip> tips = new ConcurrentHashMap<>();

    /**
     * The INGEST entry of each tenant with a tip, computed as if every row of it creates its signal
     * in row order, as parameter rows for the upsert's {@code $entries}. {@code rows} are the
     * upsert's rows, sorted by tenant.
     */
    List<Map<String, Object>> predict(List<Map<String, Object>> rows, Instant at) {
        Map<String, List<Map<String, Object>>> byTenant = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            byTenant.computeIfAbsent((String) row.get("tenantId"), t -> new ArrayList<>()).add(row);
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        byTenant.forEach((tenant, ofTenant) -> {
            Tip tip = tips.get(tenant);
            if (tip != null && distinct(ofTenant)) {
                entries.add(entry(tenant, tip, ofTenant, at));
            }
        });
        return entries;
    }

    /** Two rows of one identity or provenance id cannot both create: no prediction. */
    private static boolean distinct(List<Map<String, Object>> rows) {
        Set<List<Object>> identities = new HashSet<>();
        Set<Object> provenance = new HashSet<>();
        for (Map<String, Object> row : rows) {
            if (!identities.add(List.of(row.get("source"), row.get("signalId"), row.get("ts")))
                    || !provenance.add(row.get("provenanceId"))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> entry(String tenant, Tip tip, List<Map<String, Object>> rows, Instant at) {
        List<IngestCommit.Created> created = new ArrayList<>(rows.size());
        List<List<Object>> expected = new ArrayList<>(rows.size());
        long sequence = tip.signals();
        for (Map<String, Object> row : rows) {
            sequence++;
            created.add(new IngestCommit.Created(sequence, (String) row.get("provenanceId"), (String) row.get("requestHash")));
            expected.add(List.of(row.get("index"), sequence));
        }
        IngestCommit commit = new IngestCommit(created);
        LedgerEntry entry = LedgerEntry.link(tenant, tip.ledgerSequence() + 1, at, LedgerAction.INGEST, commit.range().summary(),
                commit.digest(), tip.ledgerSequence() == 0 ? LedgerEntry.GENESIS : tip.ledgerHash());
        Map<String, Object> row = Neo4jLedger.row(entry, sequence);
        row.put("headSequence", tip.ledgerSequence());
        row.put("coveredBefore", tip.signals());
        row.put("rows", expected);
        return row;
    }

    /**
     * The tips a committed transaction leaves: each tenant's head and signal count as its upsert
     * returned them (after an entry written in the statement), then after the entries appended
     * separately; a tenant whose signals are not all covered (some from before the ledger) has none,
     * and nothing is learned when the entries appended are not the ones asked for.
     */
    static Map<String, Tip> after(List<Record> upserted, List<Neo4jLedger.Append> appends, List<LedgerEntry> appended) {
        if (appended.size() != appends.size()) {
            return Map.of();
        }
        Map<String, Tip> after = new HashMap<>();
        Map<String, Long> covered = new HashMap<>();
        for (Record r : upserted) {
            String tenant = r.get("tenantId").asString();
            if (!after.containsKey(tenant)) {
                Neo4jLedger.Head head = Neo4jLedger.head(r.get("ledgerSequence"), r.get("ledgerHash"));
                after.put(tenant, new Tip(head.sequence(), head.hash(), r.get("signalVersion").asLong(0)));
                covered.put(tenant, r.get("ledgerCovered").asLong(0));
            }
        }
        for (int i = 0; i < appends.size(); i++) {
            Neo4jLedger.Append append = appends.get(i);
            LedgerEntry entry = appended.get(i);
            Tip tip = after.get(append.tenantId());
            after.put(append.tenantId(), new Tip(entry.sequence(), entry.hash(), tip.signals()));
            if (append.coveredTo() != null) {
                covered.put(append.tenantId(), append.coveredTo());
            }
        }
        after.entrySet().removeIf(e -> covered.get(e.getKey()) != e.getValue().signals());
        return after;
    }

    void learn(Map<String, Tip> learned) {
        if (tips.size() + learned.size() > MAX_TENANTS) {
            tips.clear();
        }
        tips.putAll(learned);
    }

    void forget(Collection<String> tenants) {
        tenants.forEach(tips::remove);
    }
}
