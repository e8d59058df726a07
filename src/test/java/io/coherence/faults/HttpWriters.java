package io.coherence.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * K writer threads, each sending a batch of new signals at a steady pace and retrying it as the
 * README tells clients to: the same body with the same Idempotency-Key after a 5xx, a 409
 * IDEMPOTENCY_KEY_IN_USE, a 429 (after its Retry-After), a connection failure or a timeout, with a
 * backoff from 100 ms doubling to 1 s, until acknowledged, refused, or the retry deadline.
 */
final class HttpWriters {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

    private final ServiceClient client;
    private final String tenant;
    private final String token;
    private final Ledger ledger;
    private final Timeline timeline;
    private final int batch;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong replays = new AtomicLong();
    private volatile boolean stopNew;
    private volatile long retryDeadline = Long.MAX_VALUE;

    HttpWriters(ServiceClient client, String tenant, String token, Ledger ledger, Timeline timeline, int batch,
                double requestsPerSecond) {
        this.client = client;
        this.tenant = tenant;
        this.token = token;
        this.ledger = ledger;
        this.timeline = timeline;
        this.batch = batch;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / requestsPerSecond);
    }

    void start(int writers) {
        for (int w = 0; w < writers; w++) {
            Signals signals = new Signals(tenant, "http", "w" + w, tenant.hashCode() * 31L + w);
            Thread t = new Thread(() -> run(signals), "fault-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** No new requests from now on; requests already sent go on retrying until the deadline. */
    void stopNewRequests() {
        stopNew = true;
    }

    /** Retries stop at this System.nanoTime(); the request's signals are then GAVE_UP. */
    void retryUntil(long deadlineNanos) {
        retryDeadline = deadlineNanos;
    }

    /** Waits until every writer has settled its last request (or the deadline passed). */
    boolean awaitSettled(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
        return threads.stream().noneMatch(Thread::isAlive);
    }

    long requests() {
        return requests.get();
    }

    long replays() {
        return replays.get();
    }

    private void run(Signals signals) {
        long next = System.nanoTime();
        while (!stopNew) {
            LockSupport.parkNanos(next - System.nanoTime());
            next = Math.max(next + intervalNanos, System.nanoTime());
            if (stopNew) {
                break;
            }
            Signals.Batch b = signals.next(batch);
            ledger.attempted(b.signals());
            requests.incrementAndGet();
            ledger.settle(b.signals(), deliver(tenant + "-" + b.id(), b.json()));
        }
    }

    private Ledger.Fate deliver(String key, String body) {
        Duration backoff = FIRST_BACKOFF;
        while (true) {
            ServiceClient.Answer a = client.ingest(body, key, token);
            if (a.status() == 202) {
                timeline.record(Timeline.Kind.WRITE, Timeline.Outcome.OK, null);
                if (a.replayed()) {
                    replays.incrementAndGet();
                }
                return Ledger.Fate.ACKNOWLEDGED;
            }
            String code = a.transportFailure() ? a.code() : a.status() + " " + a.code();
            timeline.record(Timeline.Kind.WRITE, Timeline.Outcome.ERROR, code);
            if (!retryable(a)) {
                return Ledger.Fate.REFUSED;
            }
            Duration pause = a.status() == 429 ? Duration.ofSeconds(Math.min(2, Math.max(1, a.retryAfterSeconds()))) : backoff;
            if (System.nanoTime() + pause.toNanos() - retryDeadline > 0 || Thread.currentThread().isInterrupted()) {
                return Ledger.Fate.GAVE_UP;
            }
            LockSupport.parkNanos(pause.toNanos());
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    /**
     * What the README says a client may retry with the same key and body; and a 404 without the
     * service's error document, which is Liberty answering before the application has started
     * (what a load balancer would hide by not routing to an unready server).
     */
    static boolean retryable(ServiceClient.Answer a) {
        return a.transportFailure() || a.status() >= 500 || a.status() == 429
                || a.status() == 409 && "IDEMPOTENCY_KEY_IN_USE".equals(a.code())
                || a.status() == 404 && ServiceClient.NO_CODE.equals(a.code());
    }
}
