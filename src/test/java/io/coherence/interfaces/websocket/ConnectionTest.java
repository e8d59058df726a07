package io.coherence.interfaces.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.coherence.application.CoherenceException;
import io.coherence.application.ErrorCode;
import io.coherence.application.events.EventDispatcher;
import io.coherence.application.events.EventReplay;
import io.coherence.application.events.InMemoryEventHistory;
import io.coherence.application.events.ReplaySettings;
import io.coherence.application.events.EventSettings;
import io.coherence.application.events.FanoutMetrics;
import io.coherence.application.events.SignalCommitted;
import io.coherence.application.limits.RateLimit;
import io.coherence.application.limits.RateLimitSettings;
import io.coherence.application.limits.RateLimiter;
import io.coherence.application.security.PolicyEnforcer;
import io.coherence.application.security.PolicySettingsFixture;
import io.coherence.application.security.TokenVerifier;
import io.coherence.application.subscriptions.SubscriptionAdmission;
import io.coherence.domain.policy.AuthzRules;
import io.coherence.domain.policy.Caller;
import io.coherence.domain.tenant.TenantId;
import io.coherence.infrastructure.ratelimit.LocalRateBuckets;
import io.coherence.interfaces.PersistedQueryMode;
import io.coherence.interfaces.graphql.ApiSchema;
import io.coherence.interfaces.graphql.GraphQLLimits;
import io.coherence.interfaces.graphql.GraphQLRequests;
import io.coherence.interfaces.graphql.PersistedQueryResolver;
import io.coherence.interfaces.graphql.PreparedDocuments;
import io.coherence.testsupport.Eventually;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The protocol state machine over a fake socket, with the real planner, dispatcher and policy. */
class ConnectionTest {

    private static final String INIT = "{\"type\":\"connection_init\",\"payload\":{\"Authorization\":\"Bearer good\"}}";
    private static final String SUBSCRIBE = "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":"
            + "\"subscription { coherenceEvents(tenantId: \\\"tenant-a\\\") { id value } }\"}}";

    private final AtomicReference<RuntimeException> tokenFailure = new AtomicReference<>();
    private final AtomicReference<PersistedQueryMode> mode = new AtomicReference<>(PersistedQueryMode.DEV);
    private final FakeTransport transport = new FakeTransport();
    private final EventDispatcher dispatcher = new EventDispatcher(
            new EventSettings(Duration.ofMillis(50), Duration.ZERO, 1_000_000, 1_000_000), new CountingMetrics());
    private final InMemoryEventHistory history = new InMemoryEventHistory();
    private final SubscriptionServices services = services();
    private final Connection connection = services.connect(transport);

    @AfterEach
    void stop() {
        services.stop();
    }

    private SubscriptionServices services() {
        SubscriptionServices s = new SubscriptionServices();
        TokenVerifier tokens = token -> {
            if (tokenFailure.get() != null) {
                throw tokenFailure.get();
            }
            return new TokenVerifier.Verified(new Caller("sub", Optional.of("tenant-a"), Set.of("coherence:read")),
                    Instant.now().plusSeconds(600));
        };
        s.dispatcher = dispatcher;
        s.metrics = new CountingMetrics();
        s.initTimeout = Duration.ofSeconds(30);
        s.subscriptionsPerConnection = 2;
        s.connectionsPerTenant = () -> 10;
        s.sendQueue = 16;
        s.slowConsumerGrace = Duration.ofSeconds(1);
        s.maxMessageBytes = 4096;
        // Sends start on the calling thread here, so each test sees the socket right after acting.
        s.senderThreads = new InlineSenderThreads();
        s.senderThreadCount = 2;
        s.senderThreadsPerTenant = 1;
        s.lentSendersPerTenant = 1;
        s.admission = new SubscriptionAdmission(tokens, new RateLimiter(new LocalRateBuckets(),
                () -> new RateLimitSettings(RateLimit.OFF, new RateLimit(1, 3), RateLimit.OFF)),
                new PolicyEnforcer(new AuthzRules(), PolicySettingsFixture.US));
        s.replaySettings = new ReplaySettings(100, Duration.ofHours(1), 2);
        s.replay = new EventReplay(history, s.replaySettings, Clock.systemUTC());
        s.requests = new GraphQLRequests(
                PersistedQueryResolver.of(PersistedQueryResolver.read(Optional.empty()), mode::get, Clock.systemUTC()),
                new PreparedDocuments(ApiSchema.get(), new GraphQLLimits(16_384, 5, 10, 200, 30)));
        return s;
    }

    @Test
    void initIsAcknowledgedAndPingAnsweredWithPong() {
        connection.opened();
        connection.receive(INIT);
        connection.receive("{\"type\":\"ping\"}");

        assertThat(transport.sent).containsExactly("{\"type\":\"connection_ack\"}", "{\"type\":\"pong\"}");
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void aFailureInsideTheServerClosesWith4500AndAnIncident() {
        tokenFailure.set(new IllegalStateException("key store exploded"));
        connection.opened();

        connection.receive(INIT);

        assertThat(transport.closeCode).isEqualTo(4500);
        assertThat(transport.closeReason).startsWith("Internal server error, incident ").doesNotContain("exploded");
    }

    @Test
    void aRefusedTokenClosesWith4403NamingTheReason() {
        tokenFailure.set(new CoherenceException(ErrorCode.UNAUTHENTICATED, "the token is not valid: Expired JWT"));
        connection.opened();

        connection.receive(INIT);

        assertThat(transport.closeCode).isEqualTo(4403);
        assertThat(transport.closeReason).isEqualTo("Forbidden: the token is not valid: Expired JWT");
    }

    @Test
    void committedSignalsOfTheTenantBecomeNextMessagesWithTheSelectedFields() {
        connection.opened();
        connection.receive(INIT);
        connection.receive(SUBSCRIBE);

        dispatcher.dispatch(List.of(signal("tenant-a", 1, 0.25), signal("tenant-b", 1, 0.5), signal("tenant-a", 2, 0.75)));

        assertThat(transport.sent).containsExactly("{\"type\":\"connection_ack\"}",
                "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"coherenceEvents\":{\"id\":\"s-1\",\"value\":0.25}}}}",
                "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"coherenceEvents\":{\"id\":\"s-2\",\"value\":0.75}}}}");
    }

    @Test
    void strictModeRefusesUnregisteredDocumentsAndRunsRegisteredOnesByHash() {
        mode.set(PersistedQueryMode.STRICT);
        connection.opened();
        connection.receive(INIT);
        connection.receive(SUBSCRIBE);
        connection.receive("{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"extensions\":{\"persistedQuery\":"
                + "{\"version\":1,\"sha256Hash\":\"" + "0".repeat(64) + "\"}}}}");
        String hash = PersistedQueryResolver.read(Optional.empty()).entries().stream()
                .filter(e -> e.id().equals("pq_coherence_events_v1")).findFirst().orElseThrow().sha256();
        connection.receive("{\"id\":\"3\",\"type\":\"subscribe\",\"payload\":{\"variables\":{\"tenantId\":\"tenant-a\"},"
                + "\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"" + hash + "\"}}}}");

        dispatcher.dispatch(List.of(signal("tenant-a", 1, 0.25)));

        assertThat(transport.sent.get(1)).startsWith("{\"id\":\"1\",\"type\":\"error\"").contains("PERSISTED_QUERY_REQUIRED");
        assertThat(transport.sent.get(2)).startsWith("{\"id\":\"2\",\"type\":\"error\"")
                .contains("PersistedQueryNotFound", "PERSISTED_QUERY_NOT_FOUND");
        assertThat(transport.sent.get(3)).startsWith("{\"id\":\"3\",\"type\":\"next\"").contains("\"value\":0.25", "\"sequence\":1");
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void subscribesOverTheTenantsRequestRateAnswerRateLimitedAndKeepTheConnection() {
        connection.opened();
        connection.receive(INIT);
        for (int i = 1; i <= 4; i++) {
            connection.receive(SUBSCRIBE.replace("\"1\"", "\"" + i + "\"").replace("coherenceEvents", "coherenceScoreChanged")
                    .replace("{ id value }", "{ score }"));
            connection.receive("{\"id\":\"" + i + "\",\"type\":\"complete\"}");
        }

        assertThat(transport.sent.get(transport.sent.size() - 1)).startsWith("{\"id\":\"4\",\"type\":\"error\"")
                .contains("RATE_LIMITED", "retry after 1 s");
        assertThat(transport.sent.stream().filter(m -> m.contains("RATE_LIMITED")).count()).isEqualTo(1);
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void aSubscribeWithNeitherQueryNorPersistedQueryClosesWith4400() {
        connection.opened();
        connection.receive(INIT);
        connection.receive("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"variables\":{}}}");

        assertThat(transport.closeCode).isEqualTo(4400);
        assertThat(transport.closeReason).contains("payload.query or payload.extensions.persistedQuery");
    }

    @Test
    void theSubscriptionLimitAnswersAnErrorAndKeepsTheConnection() {
        connection.opened();
        connection.receive(INIT);
        connection.receive(SUBSCRIBE);
        connection.receive(SUBSCRIBE.replace("\"1\"", "\"2\""));
        connection.receive(SUBSCRIBE.replace("\"1\"", "\"3\""));

        assertThat(transport.sent.get(transport.sent.size() - 1))
                .startsWith("{\"id\":\"3\",\"type\":\"error\"").contains("SUBSCRIPTION_LIMIT");
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void noInitWithinTheTimeoutClosesWith4408() {
        services.initTimeout = Duration.ofMillis(20);
        Connection impatient = services.connect(transport);
        impatient.opened();

        Eventually.await("the init timeout", Duration.ofSeconds(5), () -> transport.closeCode != 0);
        assertThat(transport.closeCode).isEqualTo(4408);
    }

    @Test
    void aClosedConnectionLeavesNoSubscriptionBehind() {
        connection.opened();
        connection.receive(INIT);
        connection.receive(SUBSCRIBE);
        connection.closed();
        int before = transport.sent.size();

        dispatcher.dispatch(List.of(signal("tenant-a", 1, 0.5)));

        assertThat(transport.sent).hasSize(before);
    }

    @Test
    void missedEventsAreAnnouncedBeforeTheNextDeliveredOne() {
        connection.opened();
        connection.receive(INIT);
        LiveSubscription live = new LiveSubscription("9", services.renderer(new Planned.Subscription(
                io.coherence.application.events.EventKind.SIGNALS, "tenant-a", "coherenceEvents",
                List.of(new Planned.Field("value", "value")))), connection);

        live.missed(3, "EVENTS_RATE_LIMITED");
        live.accept(signal("tenant-a", 7, 0.5));

        assertThat(transport.sent).hasSize(3);
        assertThat(transport.sent.get(1)).startsWith("{\"id\":\"9\",\"type\":\"next\",\"payload\":{\"errors\":")
                .contains("\"code\":\"EVENTS_RATE_LIMITED\"", "\"missed\":3");
        assertThat(transport.sent.get(2)).contains("\"value\":0.5");
    }

    private static String resume(String tenant, String after) {
        return "{\"id\":\"r\",\"type\":\"subscribe\",\"payload\":{\"query\":"
                + "\"subscription { coherenceEvents(tenantId: \\\"" + tenant + "\\\", after: " + after + ") { sequence } }\"}}";
    }

    private List<Long> resumedSequences() {
        return transport.sent.stream().filter(m -> m.startsWith("{\"id\":\"r\",\"type\":\"next\""))
                .map(m -> Long.parseLong(m.replaceAll(".*\"sequence\":(\\d+).*", "$1"))).toList();
    }

    /** Stores sequences 1 to {@code head}, then subscribes with after: 2; the replay's range reads wait for the latch. */
    private CountDownLatch resumeAfter2WithTheReplayHeld(long head) {
        for (long seq = 1; seq <= head; seq++) {
            history.add(signal("tenant-a", seq, 0.5));
        }
        CountDownLatch gate = new CountDownLatch(1);
        history.gate.set(gate);
        connection.opened();
        connection.receive(INIT);
        connection.receive(resume("tenant-a", "2"));
        return gate;
    }

    @Test
    void aResumedSubscriptionGetsTheHistoryThenTheLiveEventsHeldMeanwhileEachSequenceOnce() {
        CountDownLatch gate = resumeAfter2WithTheReplayHeld(5);
        // Live while the replay is caught in the middle: 4 and 5 are in the history too, 6 is not yet.
        dispatcher.dispatch(List.of(signal("tenant-a", 4, 0.5), signal("tenant-a", 5, 0.5), signal("tenant-a", 6, 0.5)));
        history.add(signal("tenant-a", 6, 0.5));
        assertThat(resumedSequences()).isEmpty();

        gate.countDown();
        Eventually.await("caught up", Duration.ofSeconds(5), () -> resumedSequences().size() >= 4);
        dispatcher.dispatch(List.of(signal("tenant-a", 6, 0.5), signal("tenant-a", 7, 0.5)));
        Eventually.await("live again", Duration.ofSeconds(5), () -> resumedSequences().size() >= 5);

        assertThat(resumedSequences()).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void aLiveEventTheBridgeLostBeforeTheFirstOneHeldIsReadFromTheHistoryNotSkipped() {
        CountDownLatch gate = resumeAfter2WithTheReplayHeld(3);
        // The head (3) is read; then 4, 5 and 6 commit, and only 5 and 6 reach this replica.
        Eventually.await("the head was read", Duration.ofSeconds(5), () -> history.reads.get() >= 1);
        history.add(signal("tenant-a", 4, 0.5), signal("tenant-a", 5, 0.5), signal("tenant-a", 6, 0.5));
        dispatcher.dispatch(List.of(signal("tenant-a", 5, 0.5), signal("tenant-a", 6, 0.5)));

        gate.countDown();
        Eventually.await("caught up", Duration.ofSeconds(5), () -> resumedSequences().size() >= 4);

        assertThat(resumedSequences()).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void aLiveEventThatSkipsASequenceAfterTheCatchUpWaitsForTheMissingOneFromTheHistory() {
        history.add(signal("tenant-a", 1, 0.5), signal("tenant-a", 2, 0.5));
        connection.opened();
        connection.receive(INIT);
        connection.receive(resume("tenant-a", "0"));
        Eventually.await("caught up", Duration.ofSeconds(5), () -> resumedSequences().size() >= 2);
        ThreadPoolExecutor replays = (ThreadPoolExecutor) services.replays();
        Eventually.await("live", Duration.ofSeconds(5), () -> replays.getActiveCount() == 0 && replays.getQueue().isEmpty());

        // 3 never reaches this replica; the channel (no repair here) lets 4 out after the reorder window.
        history.add(signal("tenant-a", 3, 0.5), signal("tenant-a", 4, 0.5));
        dispatcher.dispatch(List.of(signal("tenant-a", 4, 0.5)));
        Eventually.await("filled", Duration.ofSeconds(5), () -> resumedSequences().size() >= 4);
        history.add(signal("tenant-a", 5, 0.5));
        dispatcher.dispatch(List.of(signal("tenant-a", 5, 0.5)));
        Eventually.await("live again", Duration.ofSeconds(5), () -> resumedSequences().size() >= 5);

        assertThat(resumedSequences()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void theResumePointCanBeAVariableAndAVariableThatIsNoIntegerIsBadUserInput() {
        history.add(signal("tenant-a", 1, 0.5), signal("tenant-a", 2, 0.5));
        String document = "subscription($t: ID!, $after: BigInteger) { coherenceEvents(tenantId: $t, after: $after) { sequence } }";
        connection.opened();
        connection.receive(INIT);
        connection.receive("{\"id\":\"r\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + document
                + "\",\"variables\":{\"t\":\"tenant-a\",\"after\":1}}}");
        connection.receive("{\"id\":\"x\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + document
                + "\",\"variables\":{\"t\":\"tenant-a\",\"after\":\"one\"}}}");

        Eventually.await("replayed", Duration.ofSeconds(5), () -> resumedSequences().size() == 1);
        assertThat(resumedSequences()).containsExactly(2L);
        assertThat(transport.sent).anySatisfy(m -> assertThat(m).startsWith("{\"id\":\"x\",\"type\":\"error\"")
                .contains("BAD_USER_INPUT"));
        assertThat(transport.closeCode).isZero();
    }

    @Test
    void resumingFromFurtherBackThanTheWindowEndsTheSubscriptionWithReplayWindowExceeded() {
        for (long seq = 1; seq <= 150; seq++) {
            history.add(signal("tenant-a", seq, 0.5));
        }
        connection.opened();
        connection.receive(INIT);
        connection.receive(resume("tenant-a", "10"));

        Eventually.await("refused", Duration.ofSeconds(5), () -> transport.sent.size() == 2);
        assertThat(transport.sent.get(1)).startsWith("{\"id\":\"r\",\"type\":\"error\"")
                .contains("REPLAY_WINDOW_EXCEEDED", "140 events behind", "after >= 50");
        dispatcher.dispatch(List.of(signal("tenant-a", 151, 0.5)));
        assertThat(transport.sent).hasSize(2);
        assertThat(transport.closeCode).as("the connection stays open").isZero();
    }

    @Test
    void aNegativeOrNonNumericOrOversizedResumePointIsBadUserInputAndNothingIsRead() {
        connection.opened();
        connection.receive(INIT);
        connection.receive(resume("tenant-a", "-1"));
        connection.receive(resume("tenant-a", "\\\"abc\\\"").replace("\"r\"", "\"s\""));
        connection.receive(resume("tenant-a", "9223372036854775808").replace("\"r\"", "\"t\""));

        assertThat(transport.sent).hasSize(4);
        assertThat(transport.sent.get(1)).contains("\"type\":\"error\"", "BAD_USER_INPUT", "\"field\":\"input.after\"");
        assertThat(transport.sent.get(2)).contains("\"type\":\"error\"", "\"id\":\"s\"");
        assertThat(transport.sent.get(3)).contains("\"type\":\"error\"", "BAD_USER_INPUT", "\"field\":\"input.after\"");
        assertThat(history.reads.get()).isZero();
    }

    @Test
    void resumingAnotherTenantsEventsIsForbiddenAndReadsNoHistory() {
        history.add(signal("tenant-b", 1, 0.5), signal("tenant-b", 2, 0.5));
        connection.opened();
        connection.receive(INIT);
        connection.receive(resume("tenant-b", "0"));

        assertThat(transport.sent).hasSize(2);
        assertThat(transport.sent.get(1)).contains("\"type\":\"error\"", "FORBIDDEN");
        assertThat(history.reads.get()).isZero();
    }

    private static SignalCommitted signal(String tenant, long sequence, double value) {
        return new SignalCommitted(TenantId.of(tenant), sequence, "s-" + sequence, "t", value, 1.0, "src",
                Instant.parse("2026-11-22T10:00:00Z"), "p-" + sequence, Instant.now());
    }

    /** Metrics without a registry: counts nothing, fails nothing. */
    private static final class CountingMetrics extends FanoutMetrics {
        @Override
        public void sent(long latencyMillis) {
        }

        @Override
        public void refused(String code) {
        }

        @Override
        public void dropped(String reason, long count) {
        }

        @Override
        public void outOfOrder(long gaps, long late) {
        }
    }
}
