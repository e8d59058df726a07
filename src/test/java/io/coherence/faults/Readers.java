package io.coherence.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** M threads reading tenantCoherence at a steady pace, each answer classified into the timeline. */
final class Readers {

    private final ServiceClient client;
    private final List<String> tenants;
    private final List<String> tokens;
    private final Timeline timeline;
    private final long intervalNanos;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    /** Reads the tenants in turn, each with its token. */
    Readers(ServiceClient client, List<String> tenants, List<String> tokens, Timeline timeline, double readsPerSecond) {
        this.client = client;
        this.tenants = List.copyOf(tenants);
        this.tokens = List.copyOf(tokens);
        this.timeline = timeline;
        this.intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / readsPerSecond);
    }

    void start(int readers) {
        for (int r = 0; r < readers; r++) {
            int first = r;
            Thread t = new Thread(() -> run(first), "fault-reader-" + r);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    void stop() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(45));
        }
    }

    private void run(int first) {
        long next = System.nanoTime();
        int i = first;
        while (!stop) {
            LockSupport.parkNanos(next - System.nanoTime());
            next = Math.max(next + intervalNanos, System.nanoTime());
            int which = i++ % tenants.size();
            ServiceClient.ReadOutcome outcome = client.read(tenants.get(which), tokens.get(which));
            timeline.record(Timeline.Kind.READ, outcome.outcome(), outcome.code());
        }
    }
}
