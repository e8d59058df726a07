package io.coherence.faults;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the stores from the moment the fault ends: when Neo4j holds every Kafka signal the
 * broker had acknowledged by then (the consumer caught up), and when each tenant's score was
 * computed at least at the signal version it had once its backlog was in (the materializer
 * caught up); and the first score the materializer writes to PostgreSQL after the return (it
 * runs again). Times are System.nanoTime(); 0 means not (yet) reached.
 */
final class RecoveryMonitor {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final StoreInspector stores;
    private final String httpTenant;
    private final String kafkaTenant;
    private final long kafkaTarget;
    private final long deadline;
    private final Thread thread;
    private volatile long kafkaCaughtUp;
    private volatile long scoreCaughtUp;
    private volatile long materializerBack;
    private volatile boolean stop;
    private volatile String failure;

    private RecoveryMonitor(StoreInspector stores, String httpTenant, String kafkaTenant, long kafkaTarget, long deadline) {
        this.stores = stores;
        this.httpTenant = httpTenant;
        this.kafkaTenant = kafkaTenant;
        this.kafkaTarget = kafkaTarget;
        this.deadline = deadline;
        this.thread = new Thread(this::run, "fault-recovery-monitor");
        thread.setDaemon(true);
    }

    /** Starts watching now; {@code kafkaTarget}: Kafka signals acknowledged by the broker when the fault ended. */
    static RecoveryMonitor start(StoreInspector stores, String httpTenant, String kafkaTenant, long kafkaTarget,
                                 long deadline) {
        RecoveryMonitor m = new RecoveryMonitor(stores, httpTenant, kafkaTenant, kafkaTarget, deadline);
        m.thread.start();
        return m;
    }

    private void run() {
        try {
            Instant returned = Instant.now();
            long httpVersion = stores.versions(httpTenant).signal();
            long kafkaVersion = -1;
            boolean httpScored = false;
            boolean kafkaScored = false;
            while (!stop && System.nanoTime() - deadline < 0 && (scoreCaughtUp == 0 || materializerBack == 0)) {
                if (materializerBack == 0 && stores.lastScored(List.of(httpTenant, kafkaTenant))
                        .filter(at -> at.isAfter(returned)).isPresent()) {
                    materializerBack = System.nanoTime();
                }
                if (kafkaCaughtUp == 0 && stores.signalCount(kafkaTenant) >= kafkaTarget) {
                    kafkaCaughtUp = System.nanoTime();
                    kafkaVersion = stores.versions(kafkaTenant).signal();
                }
                httpScored = httpScored || scoredAtLeast(httpTenant, httpVersion);
                kafkaScored = kafkaScored || kafkaVersion >= 0 && scoredAtLeast(kafkaTenant, kafkaVersion);
                if (httpScored && kafkaScored && scoreCaughtUp == 0) {
                    scoreCaughtUp = System.nanoTime();
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (RuntimeException e) {
            failure = e.toString();
        }
    }

    private boolean scoredAtLeast(String tenant, long version) {
        return version <= 0 || stores.versions(tenant).scored() >= version;
    }

    /** Ends the watch (the run's own checks are done) and waits for the thread. */
    void stop() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }

    long materializerBack() {
        return materializerBack;
    }

    long kafkaCaughtUp() {
        return kafkaCaughtUp;
    }

    long scoreCaughtUp() {
        return scoreCaughtUp;
    }

    String failure() {
        return failure;
    }
}
