package io.coherence.application.erasure;

import io.coherence.domain.erasure.ErasureScope;
import io.coherence.domain.erasure.ErasureSubject;
import io.coherence.domain.provenance.LedgerEntry;
import io.coherence.domain.provenance.Sha256;
import io.coherence.domain.tenant.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Signals, ledger entries and progress in memory; a batch changes all three or nothing, as one transaction. */
final class InMemoryErasureGraph implements ErasureGraph {

    static final class StoredSignal {
        final String tenant;
        String source;
        String signalId;
        String provenanceId;
        final double value;
        String minimizedBy;

        StoredSignal(String tenant, String source, String signalId, double value) {
            this.tenant = tenant;
            this.source = source;
            this.signalId = signalId;
            this.provenanceId = UUID.randomUUID().toString();
            this.value = value;
        }
    }

    record Entry(String tenant, String summary, String digest) {
    }

    final List<StoredSignal> signals = new ArrayList<>();
    final List<Entry> ledger = new ArrayList<>();
    final Map<UUID, Progress> progress = new HashMap<>();
    final List<String> rescored = new ArrayList<>();
    final List<String> scoresRemoved = new ArrayList<>();
    /** The batch with this number (1, 2, ...) over all requests fails before changing anything. */
    int failBatch = -1;
    /** The batch with this number kills the worker (an Error nobody catches, as a crash) before changing anything. */
    int crashBatch = -1;
    boolean failAlways;
    /** Runs after each committed batch. */
    Runnable afterBatch = () -> { };
    int batchesRun;

    StoredSignal add(String tenant, String source, double value) {
        StoredSignal s = new StoredSignal(tenant, source, "sig-" + signals.size(), value);
        signals.add(s);
        return s;
    }

    List<StoredSignal> of(String tenant, String source) {
        return signals.stream().filter(s -> s.tenant.equals(tenant) && s.source.equals(source)).toList();
    }

    private List<StoredSignal> matching(TenantId tenant, ErasureSubject subject, ErasureScope scope) {
        return signals.stream().filter(s -> s.tenant.equals(tenant.value()))
                .filter(s -> subject.wholeTenant() ? scope == ErasureScope.DELETE || s.minimizedBy == null
                        : s.minimizedBy == null && s.source.equals(subject.value()))
                .toList();
    }

    @Override
    public synchronized List<String> provenanceIds(TenantId tenant, ErasureSubject subject, String after, int limit) {
        return matching(tenant, subject, ErasureScope.DELETE).stream().map(s -> s.provenanceId)
                .filter(p -> p.compareTo(after) > 0).sorted().limit(limit).toList();
    }

    @Override
    public synchronized int eraseBatch(UUID request, TenantId tenant, ErasureSubject subject, ErasureScope scope,
                                       int limit, Instant at) {
        batchesRun++;
        if (batchesRun == failBatch || failAlways) {
            throw new IllegalStateException("neo4j down");
        }
        if (batchesRun == crashBatch) {
            throw new Crash();
        }
        Progress p = progress.getOrDefault(request, new Progress(0, 0, 0, LedgerEntry.GENESIS));
        List<StoredSignal> all = matching(tenant, subject, scope);
        long before = p.batches() == 0 ? all.size() : p.before();
        List<StoredSignal> batch = all.stream().limit(limit).toList();
        if (batch.isEmpty()) {
            return 0;
        }
        List<String> ids = new ArrayList<>();
        for (StoredSignal s : batch) {
            ids.add(s.provenanceId);
            if (scope == ErasureScope.DELETE) {
                signals.remove(s);
            } else {
                s.source = "erased";
                s.signalId = UUID.randomUUID().toString();
                s.provenanceId = UUID.randomUUID().toString();
                s.minimizedBy = request.toString();
            }
        }
        String digest = Sha256.hex(String.join("\n", ids.stream().sorted().toList()));
        ledger.add(new Entry(tenant.value(), "erasure " + request + ": " + batch.size(), digest));
        progress.put(request, new Progress(before, p.erased() + batch.size(), p.batches() + 1,
                Sha256.hex(p.digest() + "\n" + digest)));
        afterBatch.run();
        return batch.size();
    }

    /** The worker's process died. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;
    }

    @Override
    public synchronized Progress progress(UUID request) {
        return progress.getOrDefault(request, new Progress(0, 0, 0, LedgerEntry.GENESIS));
    }

    @Override
    public synchronized long count(TenantId tenant, ErasureSubject subject, ErasureScope scope) {
        return matching(tenant, subject, scope).size();
    }

    @Override
    public synchronized void markForRescoring(TenantId tenant) {
        rescored.add(tenant.value());
    }

    @Override
    public synchronized void removeScore(TenantId tenant) {
        scoresRemoved.add(tenant.value());
    }

    @Override
    public synchronized void forgetProgress(UUID request) {
        progress.remove(request);
    }
}
