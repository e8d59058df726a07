package io.coherence.faults;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Makes batches of signals with unique ids and an explicit {@code ts}, so that a retried body
 * carries the same identities. Values have two decimals and weights are whole, so the checker
 * computes the expected score exactly.
 */
final class Signals {

    static final String SOURCE = "fault-suite";

    private final String tenant;
    private final String channel;
    private final String prefix;
    private final Random random;
    private long sequence;

    Signals(String tenant, String channel, String prefix, long seed) {
        this.tenant = tenant;
        this.channel = channel;
        this.prefix = prefix;
        this.random = new Random(seed);
    }

    /** A batch: its signals for the ledger, and the JSON array sent. */
    record Batch(String id, List<Ledger.Sent> signals, String json) {
    }

    Batch next(int size) {
        String id = prefix + "-" + sequence++;
        // A second in the past: the server refuses ts more than 5 min ahead of its clock, never this.
        Instant ts = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        List<Ledger.Sent> signals = new ArrayList<>(size);
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (int i = 0; i < size; i++) {
            Ledger.Sent s = new Ledger.Sent(tenant, channel, id + "-" + i, ts, BigDecimal.valueOf(random.nextInt(101), 2),
                    1 + random.nextInt(3));
            signals.add(s);
            array.add(json(s));
        }
        return new Batch(id, List.copyOf(signals), array.build().toString());
    }

    private static jakarta.json.JsonObjectBuilder json(Ledger.Sent s) {
        return Json.createObjectBuilder()
                .add("tenantId", s.tenant())
                .add("type", "fault")
                .add("value", s.value())
                .add("weight", s.weight())
                .add("source", SOURCE)
                .add("signalId", s.signalId())
                .add("ts", s.ts().toString());
    }
}
