package io.coherence.application.erasure;

import io.coherence.domain.erasure.ErasureRequest;
import io.coherence.domain.erasure.ErasureRequestStore;
import io.coherence.domain.erasure.ErasureStatus;
import io.coherence.domain.erasure.ErasureStep;
import io.coherence.domain.tenant.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The queue with the PostgreSQL adapter's lease rules, in memory, on a movable clock. */
final class InMemoryErasureRequestStore implements ErasureRequestStore {

    static final class Row {
        ErasureRequest request;
        String owner;
        Instant leaseUntil;
        String note;
        final Map<ErasureStep, String> findings = new EnumMap<>(ErasureStep.class);
    }

    private final Clock clock;
    final Map<UUID, Row> rows = new LinkedHashMap<>();
    boolean failing;

    InMemoryErasureRequestStore(Clock clock) {
        this.clock = clock;
    }

    Row row(UUID id) {
        return rows.get(id);
    }

    @Override
    public synchronized void insert(ErasureRequest request) {
        check();
        Row row = new Row();
        row.request = request;
        rows.put(request.id(), row);
    }

    @Override
    public synchronized Optional<ErasureRequest> find(TenantId tenant, UUID id) {
        check();
        Row row = rows.get(id);
        return row == null || !row.request.tenant().equals(tenant) ? Optional.empty() : Optional.of(row.request);
    }

    @Override
    public synchronized Optional<Claim> claim(String token, Duration lease) {
        check();
        Instant now = clock.instant();
        Optional<Row> free = rows.values().stream()
                .filter(r -> !r.request.status().finished())
                .filter(r -> r.leaseUntil == null || r.leaseUntil.isBefore(now))
                .min(Comparator.comparing(r -> r.request.requestedAt()));
        free.ifPresent(r -> {
            r.request = r.request.start(now);
            r.owner = token;
            r.leaseUntil = now.plus(lease);
        });
        return free.map(r -> new Claim(r.request, token, Map.copyOf(r.findings)));
    }

    @Override
    public synchronized boolean renew(UUID id, String token, Duration lease) {
        check();
        Row row = held(id, token);
        if (row != null) {
            row.leaseUntil = clock.instant().plus(lease);
        }
        return row != null;
    }

    @Override
    public synchronized boolean advance(UUID id, String token, ErasureStep done, String findingsJson, ErasureStep next,
                                        Duration lease) {
        check();
        Row row = held(id, token);
        if (row == null || row.request.step() != done) {
            return false;
        }
        row.findings.put(done, findingsJson);
        row.request = row.request.advance();
        row.leaseUntil = clock.instant().plus(lease);
        return true;
    }

    @Override
    public synchronized void release(UUID id, String token, Instant retryAt, String note, boolean failed) {
        check();
        Row row = held(id, token);
        if (row != null) {
            ErasureRequest r = row.request;
            row.request = new ErasureRequest(r.id(), r.tenant(), r.subject(), r.subjectSha256(), r.scope(), r.status(),
                    r.requestedAt(), r.startedAt(), r.completedAt(), r.affected(), r.auditPackage(), r.auditSignature(),
                    note, r.step(), r.attempts() + (failed ? 1 : 0));
            row.owner = null;
            row.leaseUntil = retryAt;
            row.note = note;
        }
    }

    @Override
    public synchronized boolean finish(ErasureRequest finished, String token) {
        check();
        Row row = held(id(finished), token);
        if (row == null) {
            return false;
        }
        row.request = finished;
        row.owner = null;
        row.leaseUntil = null;
        return true;
    }

    @Override
    public synchronized Optional<Instant> oldestPending() {
        check();
        return rows.values().stream().filter(r -> !r.request.status().finished()).map(r -> r.request.requestedAt())
                .min(Comparator.naturalOrder());
    }

    private static UUID id(ErasureRequest r) {
        return r.id();
    }

    private Row held(UUID id, String token) {
        Row row = rows.get(id);
        return row != null && token.equals(row.owner) && row.request.status() == ErasureStatus.RUNNING ? row : null;
    }

    private void check() {
        if (failing) {
            throw new IllegalStateException("store down");
        }
    }
}
