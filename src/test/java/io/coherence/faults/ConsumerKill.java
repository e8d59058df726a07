package io.coherence.faults;

import io.coherence.testsupport.KafkaTestClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Fault 5: kills Liberty (SIGKILL) the moment Neo4j holds Kafka signals beyond the consumer
 * group's committed offset, i.e. between the store and the offset commit; confirms the gap once
 * nothing commits or writes any more, and restarts Liberty. Tries again (at most three times)
 * when the commit had caught up by the time the kill landed.
 */
final class ConsumerKill {

    private static final int ATTEMPTS = 3;

    /** Starts Liberty again and answers the seconds it took. */
    interface Restart {
        double run() throws Exception;
    }

    private final FaultStack stack;
    private final StoreInspector stores;
    private final KafkaTestClient offsets;
    private final KafkaLoad kafka;
    private final String tenant;
    private final Consumer<String> log;

    ConsumerKill(FaultStack stack, StoreInspector stores, KafkaTestClient offsets, KafkaLoad kafka, String tenant,
                 Consumer<String> log) {
        this.stack = stack;
        this.stores = stores;
        this.offsets = offsets;
        this.kafka = kafka;
        this.tenant = tenant;
        this.log = log;
    }

    /** Returns the seconds the (last) restart took; what happened goes to the notes. */
    double run(List<String> notes, Restart restart) throws Exception {
        double took = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (!killWhenAhead(TimeUnit.SECONDS.toNanos(30))) {
                notes.add("attempt " + attempt + ": Neo4j was never seen ahead of the committed offsets in 30 s");
                return took;
            }
            // Nothing commits or writes any more: what the dead consumer left stored beyond its offset.
            List<KafkaLoad.Acked> acked = kafka.acked();
            long committed = offsets.committed(acked.get(0).partition());
            long gap = stores.signalCount(tenant) - covered(acked, committed);
            log.accept("Liberty killed (SIGKILL) with " + gap + " Kafka signals stored beyond the committed offset " + committed);
            took = restart.run();
            if (gap > 0) {
                notes.add("killed on attempt " + attempt + " with " + gap
                        + " signals in Neo4j beyond the consumer group's committed offset " + committed);
                return took;
            }
            notes.add("attempt " + attempt + ": the offset commit had caught up by the kill (" + gap + "); again");
        }
        notes.add("no kill landed between store and offset commit in " + ATTEMPTS + " attempts");
        return took;
    }

    /**
     * Polls until Neo4j holds more of the tenant's signals than its records below the committed
     * offset carry, and kills Liberty then. Neo4j is read before the offset, so a commit between
     * the two reads cannot fake a gap.
     */
    private boolean killWhenAhead(long timeoutNanos) {
        long end = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() - end < 0) {
            List<KafkaLoad.Acked> acked = kafka.acked();
            if (!acked.isEmpty()) {
                long stored = stores.signalCount(tenant);
                if (stored > covered(acked, offsets.committed(acked.get(0).partition()))) {
                    stack.killLiberty();
                    return true;
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return false;
    }

    /** Signals in the acknowledged records below the committed offset (a tenant's records share one partition). */
    static long covered(List<KafkaLoad.Acked> acked, long committed) {
        return acked.stream().filter(a -> a.offset() < committed).mapToLong(KafkaLoad.Acked::signals).sum();
    }
}
