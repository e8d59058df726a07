package io.coherence.infrastructure.redis;

import static io.coherence.application.events.Events.score;
import static io.coherence.application.events.Events.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.events.CoherenceEvent;
import io.coherence.application.events.Dispatchers;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventKind;
import io.coherence.application.events.EventSettings;
import io.coherence.application.events.EventSink;
import io.coherence.application.events.ScoreChanged;
import io.coherence.application.events.SignalCommitted;
import io.coherence.domain.tenant.TenantId;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.UncountedFanout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas ("node A" and "node B"), each with its own dispatcher, bridged through one topic of
 * the embedded Redis. Redis sends a topic's messages to each subscriber in publish order, and a
 * node reads its messages one after the other: so once a node received what the other published
 * after it, it has also read the echo of its own earlier messages, and any duplicate would show.
 */
class RedisEventBusIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String channel = "it-" + UUID.randomUUID();
    private final TenantId t = TenantId.of("it-events-t-" + UUID.randomUUID());
    private final TenantId u = TenantId.of("it-events-u-" + UUID.randomUUID());
    private final List<EventDispatcher> dispatchers = new ArrayList<>();
    private final List<RedisEventBus> buses = new ArrayList<>();

    @AfterEach
    void stop() {
        buses.forEach(RedisEventBus::stop);
        dispatchers.forEach(Dispatchers::stop);
    }

    private static final class Sink implements EventSink {

        final List<CoherenceEvent> received = new CopyOnWriteArrayList<>();
        final List<String> missed = new CopyOnWriteArrayList<>();

        @Override
        public void accept(CoherenceEvent event) {
            received.add(event);
        }

        @Override
        public void missed(long count, String reason) {
            missed.add(count + " " + reason);
        }

        List<Long> sequences() {
            return received.stream().map(e -> ((SignalCommitted) e).sequence()).toList();
        }
    }

    /** One replica: its dispatcher and its bus. */
    private record Node(EventDispatcher dispatcher, RedisEventBus bus) {

        Sink subscribe(TenantId tenant, EventKind kind) {
            Sink sink = new Sink();
            dispatcher.subscribe(tenant, kind, sink);
            return sink;
        }
    }

    private Node node(String redisUrl) {
        EventDispatcher dispatcher = new EventDispatcher(
                new EventSettings(Duration.ofMillis(50), Duration.ZERO, 100_000, 100_000), UncountedFanout.INSTANCE);
        dispatchers.add(dispatcher);
        RedisEventBus bus = new RedisEventBus(redisUrl, channel, dispatcher);
        buses.add(bus);
        bus.start();
        return new Node(dispatcher, bus);
    }

    private Node[] twoBridgedNodes() {
        String redisUrl = EmbeddedEngines.shared().redisUrl();
        Node a = node(redisUrl);
        Node b = node(redisUrl);
        Eventually.await("both nodes joined the topic", WAIT, () -> a.bus().bridged() && b.bus().bridged());
        return new Node[] {a, b};
    }

    private List<SignalCommitted> signals(TenantId tenant, long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(seq -> signal(tenant, seq)).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void eventsPublishedOnOneNodeReachEverySubscriberOfTheirTenantExactlyOnceAndInOrder() {
        Node[] nodes = twoBridgedNodes();
        Node a = nodes[0];
        Node b = nodes[1];
        Sink onA = a.subscribe(t, EventKind.SIGNALS);
        Sink onB = b.subscribe(t, EventKind.SIGNALS);
        Sink otherTenantOnA = a.subscribe(u, EventKind.SIGNALS);
        Sink otherTenantOnB = b.subscribe(u, EventKind.SIGNALS);

        a.bus().publish(signals(t, 1, 5));

        assertThat(onA.sequences()).as("delivered locally at once").containsExactlyElementsOf(range(1, 5));
        Eventually.await("node B received the five events", WAIT, () -> onB.received.size() >= 5);
        // B answers; once A has that, A has also read (and ignored) the echo of its own message.
        b.bus().publish(signals(t, 6, 6));
        Eventually.await("node A received node B's event", WAIT, () -> onA.received.size() >= 6);

        assertThat(onB.received).containsExactlyElementsOf(signals(t, 1, 6));
        assertThat(onA.received).as("no echo of its own events").containsExactlyElementsOf(signals(t, 1, 6));
        assertThat(otherTenantOnA.received).isEmpty();
        assertThat(otherTenantOnB.received).isEmpty();
        assertThat(onA.missed).isEmpty();
        assertThat(onB.missed).isEmpty();
    }

    @Test
    void eventsPublishedOnNodeBReachNodeAWithEveryField() {
        Node[] nodes = twoBridgedNodes();
        Node a = nodes[0];
        Node b = nodes[1];
        Sink signalsOnA = a.subscribe(t, EventKind.SIGNALS);
        Sink scoresOnA = a.subscribe(t, EventKind.SCORES);
        Sink otherTenantOnA = a.subscribe(u, EventKind.SCORES);
        ScoreChanged first = score(t, 0.81, 10);
        ScoreChanged second = score(t, 0.42, 20);
        List<CoherenceEvent> published = List.of(signal(t, 41), first, signal(t, 42), second);

        b.bus().publish(published);

        Eventually.await("node A received node B's events", WAIT,
                () -> signalsOnA.received.size() >= 2 && scoresOnA.received.size() >= 2);
        assertThat(signalsOnA.received).containsExactly(signal(t, 41), signal(t, 42));
        assertThat(scoresOnA.received).containsExactly(first, second);
        assertThat(otherTenantOnA.received).isEmpty();
    }

    @Test
    void withoutARedisUrlTheBusDeliversLocallyAndIsNotBridged() {
        Node local = node("");
        Sink sink = local.subscribe(t, EventKind.SIGNALS);

        local.bus().publish(signals(t, 1, 3));

        assertThat(local.bus().bridged()).isFalse();
        assertThat(sink.sequences()).containsExactly(1L, 2L, 3L);
    }
}
