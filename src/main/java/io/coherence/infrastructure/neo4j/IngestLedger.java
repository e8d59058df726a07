package io.coherence.infrastructure.neo4j;

import io.coherence.domain.provenance.IngestCommit;
import io.coherence.domain.provenance.IngestRange;
import io.coherence.domain.provenance.LedgerAction;
import io.coherence.domain.signal.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.neo4j.driver.Record;

/**
 * The INGEST entries of one write transaction still to append, from the rows its upsert returned:
 * one per tenant that got at least one created signal (a duplicate creates nothing and records
 * nothing) and whose entry the upsert did not write already ({@code ledgered}, counted). A tenant's
 * first INGEST entry that does not start at signal 1 (signals stored before the ledger existed) is
 * preceded by one entry standing for those, so the entries' ranges always cover 1..signal_version.
 */
record IngestLedger(Map<String, Neo4jLedger.Head> heads, List<Neo4jLedger.Append> appends, int ledgered) {

    static IngestLedger of(List<Signal> signals, List<Record> upserted) {
        Map<String, List<IngestCommit.Created>> created = new TreeMap<>();
        Map<String, Neo4jLedger.Head> heads = new HashMap<>();
        Map<String, Boolean> coveredBefore = new HashMap<>();
        Set<String> ledgered = new HashSet<>();
        for (Record r : upserted) {
            String tenant = r.get("tenantId").asString();
            if (r.get("ledgered").asBoolean(false)) {
                ledgered.add(tenant);
                continue;
            }
            if (!r.get("created").asBoolean(false)) {
                continue;
            }
            Signal signal = signals.get(r.get("index").asInt());
            created.computeIfAbsent(tenant, t -> new ArrayList<>()).add(new IngestCommit.Created(r.get("sequence").asLong(),
                    r.get("provenanceId").asString(), signal.provenance().requestHash()));
            heads.computeIfAbsent(tenant, t -> Neo4jLedger.head(r.get("ledgerSequence"), r.get("ledgerHash")));
            coveredBefore.putIfAbsent(tenant, !r.get("ledgerCovered").isNull());
        }
        List<Neo4jLedger.Append> appends = new ArrayList<>(created.size() + 1);
        created.forEach((tenant, signalsOfTenant) -> {
            IngestCommit commit = new IngestCommit(signalsOfTenant);
            IngestRange range = commit.range();
            if (!coveredBefore.get(tenant) && range.first() > 1) {
                appends.add(new Neo4jLedger.Append(tenant, LedgerAction.INGEST,
                        new IngestRange(1, range.first() - 1, true).summary(), IngestRange.NOTHING, range.first() - 1));
            }
            appends.add(new Neo4jLedger.Append(tenant, LedgerAction.INGEST, range.summary(), commit.digest(), range.last()));
        });
        return new IngestLedger(heads, appends, ledgered.size());
    }
}
