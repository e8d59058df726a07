package io.coherence.application.retention;

import io.coherence.domain.provenance.RetentionEntry;
import io.coherence.domain.retention.RetentionTier;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The signal graph as retention sees it, in memory: signals by tenant, the ledger entries of deleted batches. */
final class FakeRetentionStore implements RetentionStore {

    /** A stored signal: its ts and provenance id. */
    record StoredSignal(Instant ts, String provenanceId) {
    }

    /** A ledger entry as the adapter appends it with a batch. */
    record Entry(TenantId tenant, String summary, String digest) {
    }

    final Map<TenantId, List<StoredSignal>> signals = new TreeMap<>(Comparator.comparing(TenantId::value));
    /** Tenants whose graph still holds a score. */
    final Set<TenantId> scored = new HashSet<>();
    final List<Entry> ledger = new ArrayList<>();
    final List<TenantId> rescored = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    final Set<TenantId> failing = new HashSet<>();
    private int provenance;

    void add(TenantId tenant, Instant ts, int count) {
        List<StoredSignal> list = signals.computeIfAbsent(tenant, t -> new ArrayList<>());
        for (int i = 0; i < count; i++) {
            list.add(new StoredSignal(ts, "prov-" + ++provenance));
        }
    }

    int count(TenantId tenant) {
        return signals.getOrDefault(tenant, List.of()).size();
    }

    @Override
    public List<TenantId> tenants(String after, int limit) {
        calls.add("tenants after " + after);
        Set<TenantId> all = new HashSet<>(scored);
        signals.forEach((t, list) -> {
            if (!list.isEmpty()) {
                all.add(t);
            }
        });
        return all.stream().filter(t -> after == null || t.value().compareTo(after) > 0)
                .sorted(Comparator.comparing(TenantId::value)).limit(limit).toList();
    }

    @Override
    public long countBefore(TenantId tenant, Instant cutoff) {
        calls.add("count " + tenant);
        failIfFailing(tenant);
        return signals.getOrDefault(tenant, List.of()).stream().filter(s -> s.ts().isBefore(cutoff)).count();
    }

    @Override
    public PrunedBatch deleteBefore(TenantId tenant, Instant cutoff, int limit, RetentionTier tier, Instant at) {
        calls.add("delete " + tenant);
        failIfFailing(tenant);
        List<StoredSignal> batch = signals.getOrDefault(tenant, List.of()).stream()
                .filter(s -> s.ts().isBefore(cutoff)).limit(limit).toList();
        if (batch.isEmpty()) {
            return new PrunedBatch(0, null);
        }
        signals.get(tenant).removeAll(batch);
        ledger.add(new Entry(tenant, RetentionEntry.summary(batch.size(), tier, cutoff),
                RetentionEntry.digest(batch.stream().map(StoredSignal::provenanceId).toList())));
        return new PrunedBatch(batch.size(), batch.stream().map(StoredSignal::ts).max(Instant::compareTo).orElseThrow());
    }

    @Override
    public void rescore(TenantId tenant) {
        rescored.add(tenant);
    }

    @Override
    public boolean retireScoreIfEmpty(TenantId tenant) {
        calls.add("retire " + tenant);
        if (count(tenant) > 0) {
            return false;
        }
        scored.remove(tenant);
        return true;
    }

    private void failIfFailing(TenantId tenant) {
        if (failing.contains(tenant)) {
            throw new IllegalStateException("graph unavailable for " + tenant);
        }
    }
}
