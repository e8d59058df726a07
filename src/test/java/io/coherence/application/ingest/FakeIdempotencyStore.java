package io.coherence.application.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Idempotency-Key claims in memory, with the fencing of the real store; a test can make it fail. */
class FakeIdempotencyStore implements IdempotencyStore {

    private record Row(String hash, Instant at, Answered answer) {
    }

    private final Map<String, Row> rows = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private volatile boolean down;
    /** What {@link #releaseAbandoned()} answers. */
    volatile int abandoned;

    /** From now on every call fails, as with PostgreSQL unreachable; {@code false} brings it back. */
    void down(boolean down) {
        this.down = down;
    }

    List<String> calls() {
        return List.copyOf(calls);
    }

    /** The key's state: absent, running, or done with its status. */
    String state(String scope, String key) {
        Row row = rows.get(scope + "/" + key);
        return row == null ? "absent" : row.answer() == null ? "running" : "done " + row.answer().status();
    }

    private void check(String call) {
        if (down) {
            throw new IllegalStateException("the key store is down");
        }
        calls.add(call);
    }

    @Override
    public synchronized Claim claim(String scope, String key, String requestHash, Duration ttl, Duration runningTimeout) {
        check("claim " + key);
        Row row = rows.get(scope + "/" + key);
        if (row == null) {
            Instant at = Instant.EPOCH.plusNanos(clock.incrementAndGet() * 1000);
            rows.put(scope + "/" + key, new Row(requestHash, at, null));
            return new Claimed(at);
        }
        if (!row.hash().equals(requestHash)) {
            return new Reused();
        }
        return row.answer() == null ? new Running() : row.answer();
    }

    @Override
    public synchronized int releaseAbandoned() {
        check("releaseAbandoned");
        return abandoned;
    }

    @Override
    public synchronized void complete(String scope, String key, Instant at, int status, String body) {
        check("complete " + key + " " + status);
        rows.computeIfPresent(scope + "/" + key,
                (k, row) -> row.at().equals(at) && row.answer() == null ? new Row(row.hash(), at, new Answered(status, body)) : row);
    }

    @Override
    public synchronized void release(String scope, String key, Instant at) {
        check("release " + key);
        rows.computeIfPresent(scope + "/" + key, (k, row) -> row.at().equals(at) && row.answer() == null ? null : row);
    }

    @Override
    public int expire(Duration ttl, int batch) {
        throw new UnsupportedOperationException("ingest never expires keys");
    }
}
