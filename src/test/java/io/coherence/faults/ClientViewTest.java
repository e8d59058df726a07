package io.coherence.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the suite's clients read answers: retry decisions, read outcomes, metrics. */
class ClientViewTest {

    private static ServiceClient.Answer answer(int status, String code) {
        return new ServiceClient.Answer(status, code, false, 0, null);
    }

    @Test
    void clientsRetryWhatTheReadmeSaysIsSafeToRetryAndNothingElse() {
        assertThat(HttpWriters.retryable(answer(0, "connection refused"))).isTrue();
        assertThat(HttpWriters.retryable(answer(503, "STORE_UNAVAILABLE"))).isTrue();
        assertThat(HttpWriters.retryable(answer(500, "INTERNAL"))).isTrue();
        assertThat(HttpWriters.retryable(answer(429, "RATE_LIMITED"))).isTrue();
        assertThat(HttpWriters.retryable(answer(409, "IDEMPOTENCY_KEY_IN_USE"))).isTrue();
        assertThat(HttpWriters.retryable(answer(422, "IDEMPOTENCY_KEY_REUSED"))).isFalse();
        assertThat(HttpWriters.retryable(answer(400, "BAD_USER_INPUT"))).isFalse();
        assertThat(HttpWriters.retryable(answer(401, "UNAUTHENTICATED"))).isFalse();
        // Liberty's own 404 while the application starts, not the service's
        assertThat(HttpWriters.retryable(answer(404, ServiceClient.NO_CODE))).isTrue();
    }

    @Test
    void aReadIsOkDegradedOrAnErrorWithItsCode() {
        assertThat(ServiceClient.classifyRead(200, "{\"data\":{\"tenantCoherence\":{\"score\":0.5}}}").outcome())
                .isEqualTo(Timeline.Outcome.OK);
        ServiceClient.ReadOutcome degraded = ServiceClient.classifyRead(200, "{\"data\":{\"tenantCoherence\":{\"score\":0.5}},"
                + "\"extensions\":{\"degraded\":{\"store\":\"postgres\",\"servedFrom\":\"neo4j\"}}}");
        assertThat(degraded.outcome()).isEqualTo(Timeline.Outcome.DEGRADED);
        assertThat(degraded.code()).isEqualTo("servedFrom=neo4j");
        ServiceClient.ReadOutcome down = ServiceClient.classifyRead(200, "{\"data\":null,\"errors\":[{\"message\":\"x\","
                + "\"extensions\":{\"code\":\"STORE_UNAVAILABLE\"}}]}");
        assertThat(down.outcome()).isEqualTo(Timeline.Outcome.ERROR);
        assertThat(down.code()).isEqualTo("200 STORE_UNAVAILABLE");
        assertThat(ServiceClient.classifyRead(503, "not json").code()).isEqualTo("503");
        assertThat(ServiceClient.restCode("{\"error\":{\"code\":\"RATE_LIMITED\"}}")).isEqualTo("RATE_LIMITED");
    }

    @Test
    void metricsKeepTheWatchedSeriesUnderShortNamesAndTheirChange() {
        String before = """
                # TYPE ft_circuitbreaker_opened_total counter
                ft_circuitbreaker_opened_total{method="io.coherence.infrastructure.redis.RedisScoreCache.get",mp_scope="base"} 1.0
                ingest_events_processed_total{channel="http",mp_scope="application",outcome="accepted"} 10
                jvm_uptime_seconds 12.0
                """;
        String after = before.replace("} 1.0", "} 3.0").replace("} 10", "} 25");
        Map<String, Double> parsed = Metrics.parse(before);
        assertThat(parsed).containsOnlyKeys("ft_circuitbreaker_opened_total{RedisScoreCache.get}",
                "ingest_events_processed_total{channel=http,outcome=accepted}");
        assertThat(Metrics.delta(parsed, Metrics.parse(after))).containsEntry("ft_circuitbreaker_opened_total{RedisScoreCache.get}", 2.0)
                .containsEntry("ingest_events_processed_total{channel=http,outcome=accepted}", 15.0);
    }

    @Test
    void theTimelineFindsTheFirstSuccessAndTheLastFailureAfterAMoment() {
        Timeline timeline = new Timeline();
        timeline.add(new Timeline.Sample(100, Timeline.Kind.WRITE, Timeline.Outcome.ERROR, "503 STORE_UNAVAILABLE"));
        timeline.add(new Timeline.Sample(200, Timeline.Kind.WRITE, Timeline.Outcome.OK, null));
        timeline.add(new Timeline.Sample(300, Timeline.Kind.WRITE, Timeline.Outcome.ERROR, "409 IDEMPOTENCY_KEY_IN_USE"));
        timeline.add(new Timeline.Sample(400, Timeline.Kind.READ, Timeline.Outcome.DEGRADED, "servedFrom=neo4j"));

        assertThat(timeline.first(Timeline.Kind.WRITE, Timeline.Outcome.OK, 150)).hasValue(200);
        assertThat(timeline.lastNotOk(Timeline.Kind.WRITE, 150)).hasValue(300);
        assertThat(timeline.lastNotOk(Timeline.Kind.READ, 0)).hasValue(400);
        assertThat(timeline.first(Timeline.Kind.READ, Timeline.Outcome.OK, 0)).isEmpty();
        assertThat(timeline.counts(Timeline.Kind.WRITE)).containsEntry("OK", 1L)
                .containsEntry("ERROR 503 STORE_UNAVAILABLE", 1L).containsEntry("ERROR 409 IDEMPOTENCY_KEY_IN_USE", 1L);
    }

    @Test
    void theCommittedOffsetCoversTheSignalsOfTheRecordsBelowIt() {
        java.util.List<KafkaLoad.Acked> acked = java.util.List.of(new KafkaLoad.Acked(1, 10, 5, 0),
                new KafkaLoad.Acked(1, 11, 5, 0), new KafkaLoad.Acked(1, 12, 3, 0));
        assertThat(ConsumerKill.covered(acked, -1)).isZero();
        assertThat(ConsumerKill.covered(acked, 12)).isEqualTo(10);
        assertThat(ConsumerKill.covered(acked, 13)).isEqualTo(13);
    }

    @Test
    void optionsAreParsedAndBadOnesRefused() {
        SuiteSettings s = SuiteSettings.parse(new String[] {"--faults", "3,1", "--outage", "12", ""});
        assertThat(s.faults()).containsExactly(Fault.POSTGRES_DOWN, Fault.LIBERTY_KILL);
        assertThat(s.outage().toSeconds()).isEqualTo(12);
        assertThat(SuiteSettings.parse(new String[0]).faults()).hasSize(5);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteSettings.parse(new String[] {"--faults", "6"}))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SuiteSettings.parse(new String[] {"--bogus", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
