package io.coherence.domain.provenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Hash-chained ledgers for tests, built with the production rules. */
final class LedgerChains {

    static final Instant AT = Instant.parse("2026-12-02T11:00:00.123Z");

    private final String tenant;
    private final List<LedgerEntry> entries = new ArrayList<>();
    private long signals;

    LedgerChains(String tenant) {
        this.tenant = tenant;
    }

    /** An INGEST entry for {@code count} new signals. */
    LedgerChains ingest(int count) {
        List<IngestCommit.Created> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            signals++;
            created.add(new IngestCommit.Created(signals, "prov-" + signals, "hash-" + signals));
        }
        IngestCommit commit = new IngestCommit(created);
        return add(LedgerAction.INGEST, commit.range().summary(), commit.digest());
    }

    LedgerChains add(LedgerAction action, String summary, String digest) {
        String prev = entries.isEmpty() ? LedgerEntry.GENESIS : entries.get(entries.size() - 1).hash();
        entries.add(LedgerEntry.link(tenant, entries.size() + 1, AT.plusSeconds(entries.size()), action, summary, digest, prev));
        return this;
    }

    /** Signals counted as created without an entry (a write that skipped the ledger). */
    LedgerChains signalsWithoutEntry(int count) {
        signals += count;
        return this;
    }

    List<LedgerEntry> entries() {
        return entries;
    }

    List<StoredLedgerEntry> stored() {
        return entries.stream().map(StoredLedgerEntry::of).toList();
    }

    long signals() {
        return signals;
    }

    String headHash() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1).hash();
    }

    /** Checks stored entries against this chain's head and signal count. */
    LedgerVerification check(List<StoredLedgerEntry> stored) {
        return check(stored, entries.size(), headHash(), signals);
    }

    LedgerVerification check(List<StoredLedgerEntry> stored, long head, String headHash, long signalVersion) {
        LedgerChecker checker = new LedgerChecker(tenant);
        stored.forEach(checker::accept);
        return checker.result(head, headHash, signalVersion);
    }

    /** The export text of stored entries under this chain's head and signal count. */
    String export(List<StoredLedgerEntry> stored) {
        StringBuilder text = new StringBuilder(LedgerExport.header(tenant, entries.size(), headHash(), signals));
        stored.forEach(e -> text.append(LedgerExport.line(e)));
        return text.toString();
    }
}
