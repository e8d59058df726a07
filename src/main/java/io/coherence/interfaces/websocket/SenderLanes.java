package io.coherence.interfaces.websocket;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

/**
 * The sender threads divided into one {@link SenderLane} per tenant, plus one for connections not
 * yet admitted, so no tenant's clients can take the writers of another. Lanes live as long as the
 * application: tenants come from verified tokens and are few, and an idle lane is a few fields.
 */
final class SenderLanes {

    private final SenderThreads threads;
    private final int writersPerTenant;
    private final int lentPerTenant;
    private final LongConsumer blockedChanged;
    private final Map<String, SenderLane> lanes = new ConcurrentHashMap<>();
    private final SenderLane unadmitted;

    SenderLanes(SenderThreads threads, int writersPerTenant, int lentPerTenant, LongConsumer blockedChanged) {
        this.threads = threads;
        this.writersPerTenant = writersPerTenant;
        this.lentPerTenant = lentPerTenant;
        this.blockedChanged = blockedChanged;
        this.unadmitted = newLane();
    }

    /** The lane of connections before their tenant is known (pongs, errors, closes before the ack). */
    SenderLane unadmitted() {
        return unadmitted;
    }

    SenderLane forTenant(String tenant) {
        return lanes.computeIfAbsent(tenant, t -> newLane());
    }

    /** Called by the watchdog: lends threads in place of writes blocked for longer than the timeout. */
    void checkStuck(long nowNanos, long timeoutNanos) {
        unadmitted.checkStuck(nowNanos, timeoutNanos);
        lanes.values().forEach(lane -> lane.checkStuck(nowNanos, timeoutNanos));
    }

    private SenderLane newLane() {
        return new SenderLane(threads, writersPerTenant, lentPerTenant, blockedChanged);
    }
}
