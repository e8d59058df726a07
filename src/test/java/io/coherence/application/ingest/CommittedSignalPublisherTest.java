package io.coherence.application.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.events.RecordingEventBus;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.provenance.Provenance;
import io.coherence.domain.signal.Signal;
import io.coherence.domain.signal.SignalIdentity;
import io.coherence.domain.signal.WriteOutcome;
import io.coherence.domain.tenant.PolicyTags;
import io.coherence.domain.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CommittedSignalPublisherTest {

    private static final Instant TS = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:05.123Z");
    private static final PolicyTags TAGS = new PolicyTags("benchmarking", "standard-365d", "Restricted-TOS", "US");
    private static final TenantId TENANT = TenantId.of("tenant-a");

    private final RecordingEventBus bus = new RecordingEventBus();
    private final CommittedSignalPublisher publisher = new CommittedSignalPublisher(bus, Clock.fixed(NOW, ZoneOffset.UTC));

    private static Signal signal(String id, double value) {
        return new Signal(new SignalIdentity(TENANT, "probe-1", id, TS), "latency",
                value, 2.0, new Provenance("prov-" + id, "hash-" + id, "http", TAGS));
    }

    @Test
    void eachAcceptedSignalIsPublishedWithItsSequenceProvenanceAndTheCommitInstant() {
        Signal a = signal("a", 0.75);
        Signal b = signal("b", 0.25);

        publisher.committed(List.of(a, b), List.of(WriteOutcome.accepted("prov-a", 7), WriteOutcome.accepted("prov-b", 8)));

        assertThat(bus.published()).containsExactly(
                new SignalCommitted(TENANT, 7, "a", "latency", 0.75, 2.0, "probe-1", TS, "prov-a", NOW),
                new SignalCommitted(TENANT, 8, "b", "latency", 0.25, 2.0, "probe-1", TS, "prov-b", NOW));
    }

    @Test
    void duplicatesPublishNothingAndTheAcceptedOnesKeepTheirOrder() {
        Signal a = signal("a", 0.75);
        Signal dup = signal("dup", 0.5);
        Signal c = signal("c", 0.25);

        publisher.committed(List.of(a, dup, c), List.of(WriteOutcome.accepted("prov-a", 3),
                WriteOutcome.duplicate("prov-original"), WriteOutcome.accepted("prov-c", 4)));

        assertThat(bus.published()).extracting(e -> ((SignalCommitted) e).signalId()).containsExactly("a", "c");
        assertThat(bus.published()).extracting(e -> ((SignalCommitted) e).sequence()).containsExactly(3L, 4L);
    }

    @Test
    void aTransactionOfOnlyDuplicatesDoesNotPublishAtAll() {
        AtomicInteger publishes = new AtomicInteger();
        CommittedSignalPublisher counting = new CommittedSignalPublisher(events -> {
            publishes.incrementAndGet();
            bus.publish(events);
        }, Clock.fixed(NOW, ZoneOffset.UTC));

        counting.committed(List.of(signal("x", 0.5), signal("y", 0.5)),
                List.of(WriteOutcome.duplicate("prov-x0"), WriteOutcome.duplicate("prov-y0")));

        assertThat(publishes).hasValue(0);
        assertThat(bus.published()).isEmpty();
    }
}
