package io.coherence.interfaces.websocket;

import static io.coherence.interfaces.websocket.SubscriptionApiIT.WAIT;
import static io.coherence.interfaces.websocket.SubscriptionApiIT.signal;
import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.GraphQLWsClient;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.NonReadingSubscriber;
import io.coherence.testsupport.RaisedConnectionLimit;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot stall another on a replica: a few hundred subscribers of one tenant that stop
 * reading hold only that tenant's share of the sender threads, while a subscriber of another
 * tenant misses nothing.
 */
@TestServerIT
class SubscriptionIsolationIT {

    private static final int STALLED_CLIENTS = 300;
    private static final Duration SLOW = Duration.ofSeconds(60);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final String stalling = "it-wsi-stalling-" + UUID.randomUUID();
    private final String healthy = "it-wsi-healthy-" + UUID.randomUUID();
    private final String stallingToken = api.token(stalling, CoherenceClient.READ_WRITE);
    private final String healthyToken = api.token(healthy, CoherenceClient.READ_WRITE);

    @Test
    void aTenantsClientsThatStopReadingHoldOnlyItsShareAndAnotherTenantMissesNothing() {
        int share = setting("COHERENCE_WS_SENDER_THREADS_PER_TENANT") + setting("COHERENCE_WS_LENT_SENDERS_PER_TENANT");
        // The deployment is shared: a stalled client an earlier test closed may still hold a sender
        // until the server's write to it fails. Start from none blocked, so the counts below are this test's.
        Eventually.await("no sender thread is blocked by an earlier test", SLOW,
                () -> metric("subscription_senders_blocked", "") == 0);
        double blockedBefore = metric("subscription_senders_blocked", "");
        double cutBefore = metric("subscription_refusals_total", "SLOW_CONSUMER");
        AtomicLong published = new AtomicLong();
        try (RaisedConnectionLimit raised = RaisedConnectionLimit.to(api, STALLED_CLIENTS + 1)) {
            List<NonReadingSubscriber> stalled = new ArrayList<>();
            GraphQLWsClient reader = null;
            try {
                for (int i = 0; i < STALLED_CLIENTS; i++) {
                    stalled.add(NonReadingSubscriber.subscribe(api.subscriptions(), stallingToken,
                            "subscribe-bulky.graphql", Map.of("t", stalling)));
                }
                reader = GraphQLWsClient.ready(api.subscriptions(), healthyToken);
                reader.subscribe("events", "subscribe-signals.graphql", Map.of("t", healthy));
                reader.drainUntilPong(WAIT);
                GraphQLWsClient healthyReader = reader;

                // More than the socket buffers hold: every stalled client that gets a writer blocks it.
                ingestBulky(20);
                // Round after round the watchdog finds blocked writes and lends threads in their place,
                // until the stalling tenant holds its whole share; the other tenant publishes throughout.
                Eventually.await("the stalling tenant holds its share of " + share + " sender threads", SLOW, () -> {
                    ingestHealthy(5, published);
                    assertThat(healthyReader.closed()).as("the other tenant's subscriber stays open").isNotDone();
                    return metric("subscription_senders_blocked", "") >= blockedBefore + share;
                });
                assertEveryEventInOrder(reader, 1, published.get());
                assertThat(metric("subscription_senders_blocked", "")).as("no thread beyond the tenant's share")
                        .isEqualTo(blockedBefore + share);

                // The stalling tenant's other clients wait for its writers; their queues overflow and
                // each is cut off with 1013 (its close frame was not blocked behind anything).
                Eventually.await("every stalled client cut off", SLOW, () -> {
                    ingestBulky(20);
                    return metric("subscription_refusals_total", "SLOW_CONSUMER") >= cutBefore + STALLED_CLIENTS;
                });
                assertThat(metric("subscription_senders_blocked", "")).isEqualTo(blockedBefore + share);
                long before = published.get();
                ingestHealthy(5, published);
                assertEveryEventInOrder(reader, before + 1, published.get());
                assertThat(reader.drainUntilPong(WAIT)).as("nothing missed, nothing twice").isEmpty();
                assertThat(reader.closed()).isNotDone();
            } finally {
                stalled.forEach(NonReadingSubscriber::close);
                if (reader != null) {
                    reader.close();
                }
            }
        }
        Eventually.await("the blocked sender threads are free again", SLOW,
                () -> metric("subscription_senders_blocked", "") == blockedBefore);
    }

    private static void assertEveryEventInOrder(GraphQLWsClient reader, long first, long last) {
        for (long sequence = first; sequence <= last; sequence++) {
            JsonObject message = reader.next(WAIT);
            assertThat(message.getString("type")).isEqualTo("next");
            assertThat(message.getJsonObject("payload").containsKey("errors")).as("no events dropped: " + message)
                    .isFalse();
            assertThat(signal(message, "coherenceEvents").getJsonNumber("sequence").longValue()).isEqualTo(sequence);
        }
    }

    private void ingestHealthy(int n, AtomicLong published) {
        assertThat(api.ingest(batch(healthy, n, "ws"), healthyToken).statusCode()).isEqualTo(202);
        published.addAndGet(n);
    }

    /** Signals whose bulky events (25 copies of a long type) fill a stalled client's buffers in a few frames. */
    private void ingestBulky(int n) {
        assertThat(api.ingest(batch(stalling, n, "t".repeat(120)), stallingToken).statusCode()).isEqualTo(202);
    }

    private static String batch(String tenant, int n, String type) {
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenant).append("\",\"type\":\"")
                    .append(type).append("\",\"value\":0.5,\"source\":\"it\",\"signalId\":\"")
                    .append(UUID.randomUUID()).append("\"}");
        }
        return batch.append("]").toString();
    }

    private static int setting(String name) {
        return Integer.parseInt(LibertyStackListener.SUBSCRIPTION_LIMITS.get(name));
    }

    /** A metric's value from /metrics, summed over the series whose labels mention {@code label}. */
    private double metric(String name, String label) {
        return api.get("/metrics").body().lines()
                .filter(l -> l.startsWith(name + "{") && (label.isEmpty() || l.contains("\"" + label + "\"")))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
