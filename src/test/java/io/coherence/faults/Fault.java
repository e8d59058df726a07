package io.coherence.faults;

import java.util.Arrays;
import java.util.Set;

/**
 * The faults of issue 13, with the requests that may fail while each lasts: those that need the
 * store that is down. Any other error answer counts as unexpected.
 */
enum Fault {
    LIBERTY_KILL(1, "kill -9 of the Liberty JVM mid-ingest (HTTP and Kafka), restart on the same data",
            null, Set.of(Timeline.Kind.WRITE, Timeline.Kind.READ)),
    NEO4J_DOWN(2, "Neo4j unreachable under ingest load", FaultStack.Store.NEO4J, Set.of(Timeline.Kind.WRITE)),
    /** Ingest needs PostgreSQL for its Idempotency-Key claims; reads may degrade to Neo4j, never fail. */
    POSTGRES_DOWN(3, "PostgreSQL unreachable under read and ingest load", FaultStack.Store.POSTGRES,
            Set.of(Timeline.Kind.WRITE)),
    REDIS_DOWN(4, "Redis unreachable: reads, rate limits and the event bridge fall back", FaultStack.Store.REDIS, Set.of()),
    CONSUMER_KILL(5, "the Kafka consumer killed (kill -9) between store and offset commit", null,
            Set.of(Timeline.Kind.WRITE, Timeline.Kind.READ));

    final int number;
    final String title;
    /** The store whose gate is cut; null when the fault kills the server instead. */
    final FaultStack.Store store;
    final Set<Timeline.Kind> mayFail;

    Fault(int number, String title, FaultStack.Store store, Set<Timeline.Kind> mayFail) {
        this.number = number;
        this.title = title;
        this.store = store;
        this.mayFail = mayFail;
    }

    static Fault number(int n) {
        return Arrays.stream(values()).filter(f -> f.number == n).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fault " + n + " (1-5)"));
    }
}
