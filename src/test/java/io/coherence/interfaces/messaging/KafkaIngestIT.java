package io.coherence.interfaces.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.coherence.testsupport.CoherenceClient;
import io.coherence.testsupport.EmbeddedKafka;
import io.coherence.testsupport.Eventually;
import io.coherence.testsupport.KafkaTestClient;
import io.coherence.testsupport.LibertyStackListener;
import io.coherence.testsupport.ServerVariables;
import io.coherence.testsupport.TestServerIT;
import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kafka ingest end to end: records produced to the real embedded broker, consumed by the real
 * Liberty server through the liberty-kafka connector, written to the real Neo4j, scored, served.
 */
@TestServerIT
class KafkaIngestIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CoherenceClient api = CoherenceClient.forTestServer();
    private final KafkaTestClient kafka = KafkaTestClient.forTestBroker();

    @AfterEach
    void close() {
        kafka.close();
    }

    private static String tenant() {
        return "it-kafka-" + UUID.randomUUID();
    }

    static String signal(String tenant, double value, String signalId) {
        return "{\"tenantId\":\"" + tenant + "\",\"type\":\"latency\",\"value\":" + value + ",\"source\":\"kafka-it\""
                + (signalId == null ? "" : ",\"signalId\":\"" + signalId + "\"") + "}";
    }

    /** Waits for the tenant's score (served rounded to two decimals) to be the expected one. */
    private JsonObject awaitScore(String tenant, double exact) throws InterruptedException {
        double expected = Math.round(exact * 100) / 100.0;
        String token = api.token(tenant, CoherenceClient.READ_WRITE);
        JsonObject last = api.awaitGraphql("k6-read.graphql", Map.of("t", tenant), token,
                r -> score(r) != null && Math.abs(score(r) - expected) < 1e-9, WAIT);
        assertThat(score(last)).as(last.toString()).isCloseTo(expected, within(1e-9));
        return last.getJsonObject("data").getJsonObject("tenantCoherence");
    }

    private static Double score(JsonObject response) {
        JsonObject data = response.getJsonObject("data");
        if (data == null || data.isNull("tenantCoherence")) {
            return null;
        }
        JsonObject coherence = data.getJsonObject("tenantCoherence");
        return coherence.isNull("score") ? null : coherence.getJsonNumber("score").doubleValue();
    }

    @Test
    void signalsFromTheTopicAreScoredWithKafkaProvenance() throws InterruptedException {
        String tenant = tenant();
        kafka.produce(tenant, signal(tenant, 0.9, "a"));
        RecordMetadata batch = kafka.produce(tenant, "[" + signal(tenant, 0.6, "b") + "," + signal(tenant, 0.3, "c") + "]");

        awaitScore(tenant, 0.6);
        assertThat(api.signalCount(tenant)).isEqualTo(3);
        kafka.awaitCommittedPast(batch, WAIT);
        assertThat(api.signalValues(tenant, "channel")).containsOnly("kafka");
        assertThat(api.signalValues(tenant, "origin")).contains(
                EmbeddedKafka.TOPIC + "/" + batch.partition() + "@" + batch.offset());

        // The consumer is reported in readiness, and its lag and counts in the metrics.
        Eventually.await("readiness reports the consumer", WAIT, () -> api.get("/health/ready").body()
                .matches("(?s).*\"kafka-consumer\".*\"broker\":\"UP\".*"));
        String metrics = api.get("/metrics").body();
        assertThat(metrics).contains("ingest_kafka_consumer_lag{", "partition=\"" + batch.partition() + "\"")
                .containsPattern("ingest_events_processed_total\\{channel=\"kafka\"[^}]*outcome=\"accepted\"")
                // The Neo4j writes' circuit breaker.
                .containsPattern("ft_circuitbreaker_calls_total\\{[^}]*method=\"[\\w.]*Neo4jSignalRepository.saveAll\"");
    }

    @Test
    void theSameRecordTwiceLeavesOneSignal() throws InterruptedException {
        String tenant = tenant();
        long at = Instant.now().minusSeconds(60).toEpochMilli();
        // Without signalId and ts: the identity derives from the content and the record's timestamp.
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] anonymous = ("{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.4,\"source\":\"s\"}")
                .getBytes(StandardCharsets.UTF_8);
        kafka.produce(key, anonymous, at);
        kafka.produce(key, anonymous, at);
        // With signalId and ts: the identity is the signal's own, whatever record carries it.
        String identified = "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.8,\"source\":\"s\","
                + "\"signalId\":\"same\",\"ts\":\"" + Instant.ofEpochMilli(at) + "\"}";
        kafka.produce(tenant, identified);
        RecordMetadata last = kafka.produce(tenant, identified);

        kafka.awaitCommittedPast(last, WAIT);
        assertThat(api.signalCount(tenant)).isEqualTo(2);
        assertThat(awaitScore(tenant, 0.6).getString("status")).isEqualTo("WARN");
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicAndTheNextRecordIsStillIngested() throws InterruptedException {
        String tenant = tenant();
        String other = tenant();
        RecordMetadata notJson = kafka.produce(tenant, "{not json");
        RecordMetadata invalid = kafka.produce(tenant, signal(tenant, 1.5, "out-of-range"));
        RecordMetadata crossTenant = kafka.produce(tenant, signal(other, 0.5, "for-another-tenant"));
        RecordMetadata notUtf8 = kafka.produce(tenant.getBytes(StandardCharsets.UTF_8), new byte[] {'"', (byte) 0xC3, '"'}, null);
        RecordMetadata good = kafka.produce(tenant, signal(tenant, 0.7, "good"));
        assertThat(List.of(notJson, invalid, crossTenant, notUtf8)).extracting(RecordMetadata::partition)
                .containsOnly(good.partition());

        awaitScore(tenant, 0.7);
        kafka.awaitCommittedPast(good, WAIT);
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(api.signalCount(other)).isZero();

        List<ConsumerRecord<byte[], byte[]>> dead = kafka.deadLetters(tenant);
        assertThat(dead).extracting(r -> KafkaTestClient.header(r, DeadLetterTopic.ERROR_CODE))
                .containsExactly("MALFORMED_JSON", "BAD_USER_INPUT", "FORBIDDEN", "MALFORMED_JSON");
        assertThat(dead).extracting(r -> KafkaTestClient.header(r, DeadLetterTopic.ORIGINAL_OFFSET))
                .containsExactly(Long.toString(notJson.offset()), Long.toString(invalid.offset()),
                        Long.toString(crossTenant.offset()), Long.toString(notUtf8.offset()));
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertThat(KafkaTestClient.header(r, DeadLetterTopic.ORIGINAL_TOPIC)).isEqualTo(EmbeddedKafka.TOPIC);
            assertThat(KafkaTestClient.header(r, DeadLetterTopic.ORIGINAL_PARTITION)).isEqualTo(Integer.toString(good.partition()));
            assertThat(Instant.parse(KafkaTestClient.header(r, DeadLetterTopic.DEAD_LETTERED_AT)))
                    .isAfter(Instant.now().minusSeconds(120));
        }
        assertThat(KafkaTestClient.header(dead.get(1), DeadLetterTopic.ERROR_REASON)).contains("value OUT_OF_RANGE");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(api.get("/metrics").body()).contains("ingest_dead_lettered_total{code=\"MALFORMED_JSON\"");
    }

    @Test
    void replayedDeadLettersAreIngestedOnceTheCauseIsGoneAndReplayingTwiceIsHarmless() throws InterruptedException {
        String tenant = tenant();
        String admin = api.token("ops", List.of("coherence:admin"));
        // Refused now (more than 5 minutes ahead of the server's clock), acceptable a few seconds later.
        Instant ahead = Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(3);
        kafka.produce(tenant, "{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.25,\"source\":\"s\",\"ts\":\""
                + ahead + "\"}");
        Eventually.await("the record is dead-lettered", WAIT, () -> kafka.deadLetters(tenant).size() == 1);
        assertThat(KafkaTestClient.header(kafka.deadLetters(tenant).get(0), DeadLetterTopic.ERROR_REASON))
                .contains("ts TS_IN_FUTURE");
        // The cause goes away when this machine's clock (the server's) is within the allowed skew of ts.
        Instant acceptable = ahead.minus(Duration.ofMinutes(5)).plusMillis(200);
        Eventually.await("ts is within the allowed skew", WAIT, () -> Instant.now().isAfter(acceptable));

        JsonObject first = replay(admin, "errorCode=BAD_USER_INPUT&tenantId=" + tenant);
        assertThat(first.getInt("replayed")).as(first.toString()).isEqualTo(1);
        assertThat(first.getInt("accepted")).as(first.toString()).isEqualTo(1);
        assertThat(first.getBoolean("complete")).isTrue();
        awaitScore(tenant, 0.25);
        // Again: behind the cursor now, or (when an older dead letter holds the cursor) stored once already.
        JsonObject second = replay(admin, "errorCode=BAD_USER_INPUT&tenantId=" + tenant);
        assertThat(second.getInt("accepted")).as(second.toString()).isZero();
        assertThat(second.getInt("failedAgain")).as(second.toString()).isZero();

        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(kafka.deadLetters(tenant)).hasSize(1);
    }

    @Test
    void replayingARecordThatStillFailsLeavesTheDeadLetterTopicAsItWas() {
        String tenant = tenant();
        String admin = api.token("ops", List.of("coherence:admin"));
        kafka.produce(tenant, signal(tenant, 1.5, "still-invalid"));
        Eventually.await("the record is dead-lettered", WAIT, () -> kafka.deadLetters(tenant).size() == 1);

        for (int round = 0; round < 3; round++) {
            JsonObject result = replay(admin, "tenantId=" + tenant);
            assertThat(result.getInt("replayed")).as(result.toString()).isEqualTo(1);
            assertThat(result.getInt("failedAgain")).as(result.toString()).isEqualTo(1);
            assertThat(result.getInt("accepted") + result.getInt("duplicate")).isZero();
            assertThat(result.getInt("skipped")).isEqualTo(result.getInt("scanned") - 1);
        }
        assertThat(kafka.deadLetters(tenant)).as("dead letters after three replays").hasSize(1);
        assertThat(api.signalCount(tenant)).isZero();
    }

    private JsonObject replay(String admin, String query) {
        HttpResponse<String> replay = api.post("/v1/admin/dead-letters/replay?" + query, admin);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        return CoherenceClient.json(replay.body());
    }

    @Test
    void aSignalWithoutTsIsHeldToTheTimeRulesByItsRecordsTimestamp() throws InterruptedException {
        String tenant = tenant();
        byte[] key = tenant.getBytes(StandardCharsets.UTF_8);
        byte[] anonymous = ("{\"tenantId\":\"" + tenant + "\",\"type\":\"t\",\"value\":0.4,\"source\":\"s\"}")
                .getBytes(StandardCharsets.UTF_8);
        // Within what the broker takes (Kafka 4 refuses timestamps over an hour ahead), beyond the 5 minutes the service does.
        kafka.produce(key, anonymous, Instant.now().plus(Duration.ofMinutes(30)).toEpochMilli());
        kafka.produce(key, anonymous, Instant.parse("2000-01-01T00:00:00Z").toEpochMilli());
        RecordMetadata good = kafka.produce(tenant, signal(tenant, 0.7, "in-time"));

        kafka.awaitCommittedPast(good, WAIT);
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> dead = kafka.deadLetters(tenant);
        assertThat(dead).extracting(r -> KafkaTestClient.header(r, DeadLetterTopic.ERROR_CODE))
                .containsExactly("BAD_USER_INPUT", "BAD_USER_INPUT");
        assertThat(KafkaTestClient.header(dead.get(0), DeadLetterTopic.ERROR_REASON)).contains("ts TS_IN_FUTURE");
        assertThat(KafkaTestClient.header(dead.get(1), DeadLetterTopic.ERROR_REASON)).contains("ts TS_BEYOND_RETENTION");
    }

    @Test
    void aRecordIsWrittenOnlyWithABearerTokenThatMayWriteItsTenant() throws InterruptedException {
        String tenant = tenant();
        String other = tenant();
        String body = signal(tenant, 0.5, "guarded");
        kafka.produceAuthorized(tenant, body, null);
        kafka.produceAuthorized(tenant, body, "Bearer not-a-jwt");
        kafka.produceAuthorized(tenant, body, kafka.authorization(other));
        kafka.produceAuthorized(tenant, body, "Bearer " + api.token(tenant, List.of("coherence:read")));
        RecordMetadata good = kafka.produceAuthorized(tenant, body, kafka.authorization(tenant));

        kafka.awaitCommittedPast(good, WAIT);
        assertThat(api.signalCount(tenant)).isEqualTo(1);
        assertThat(kafka.deadLetters(tenant)).extracting(r -> KafkaTestClient.header(r, DeadLetterTopic.ERROR_CODE))
                .containsExactly("UNAUTHENTICATED", "UNAUTHENTICATED", "FORBIDDEN", "FORBIDDEN");
    }

    @Test
    void replayNeedsTheAdminScopeAndSaneParameters() {
        String tenant = tenant();
        assertThat(api.post("/v1/admin/dead-letters/replay", null).statusCode()).isEqualTo(401);
        assertThat(api.post("/v1/admin/dead-letters/replay?tenantId=" + tenant, api.token(tenant, CoherenceClient.READ_WRITE))
                .statusCode()).isEqualTo(403);
        String admin = api.token("ops", List.of("coherence:admin"));
        for (String bad : List.of("limit=0", "limit=100001", "errorCode=NOPE", "errorCode=%3Cscript%3E",
                "tenantId=" + "x".repeat(129))) {
            HttpResponse<String> r = api.post("/v1/admin/dead-letters/replay?" + bad, admin);
            assertThat(r.statusCode()).as(bad + " " + r.body()).isEqualTo(400);
            assertThat(CoherenceClient.json(r.body()).getJsonObject("error").getString("code")).isEqualTo("BAD_USER_INPUT");
        }
    }

    private static String signals(String tenant, int count, int from) {
        return IntStream.range(from, from + count).mapToObj(i -> signal(tenant, (i % 100) / 100.0, "s-" + i))
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** Whether HTTP ingest of a fresh tenant gets 600 signals in and then finds its signal rate spent at 1,200. */
    private boolean signalRateIsLow(boolean low) {
        String probe = tenant();
        String token = api.token(probe, CoherenceClient.READ_WRITE);
        return api.ingest(signals(probe, 600, 0), token).statusCode() == 202
                && api.ingest(signals(probe, 600, 600), token).statusCode() == (low ? 429 : 202);
    }

    private double signalRateRejections() {
        Matcher m = Pattern.compile("(?m)^rate_limit_rejections_total\\{[^}]*limit=\"tenant-signals\"[^}]*}\\s+(\\S+)")
                .matcher(api.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aTenantOverItsSignalRateSlowsTheConsumerAndNoRecordIsRefusedOrLost() {
        try (ServerVariables low = ServerVariables.set("kafka-signal-rate", Map.of(
                "COHERENCE_INGEST_TENANT_SIGNALS_PER_SECOND", "100", "COHERENCE_INGEST_TENANT_SIGNALS_BURST", "1000"))) {
            Eventually.await("the lowered signal rate applies", WAIT, () -> signalRateIsLow(true));
            double before = signalRateRejections();
            String tenant = tenant();
            kafka.produce(tenant, signals(tenant, 600, 0));
            // 600 of the burst's 1,000 are spent: this one waits for the bucket to refill.
            RecordMetadata last = kafka.produce(tenant, signals(tenant, 600, 600));

            kafka.awaitCommittedPast(last, WAIT);
            assertThat(api.signalCount(tenant)).isEqualTo(1200);
            assertThat(kafka.deadLetters(tenant)).isEmpty();
            assertThat(signalRateRejections()).as("the consumer met the tenant's spent rate").isGreaterThan(before);
        } finally {
            Eventually.await("the signal rate is back to its default", WAIT, () -> signalRateIsLow(false));
        }
    }

    @Test
    void whileNeo4jIsDownNothingIsAcknowledgedAndAfterItReturnsNothingIsLostOrDoubled() throws InterruptedException {
        String tenant = tenant();
        RecordMetadata before = kafka.produce(tenant, signal(tenant, 0.5, "before"));
        kafka.awaitCommittedPast(before, WAIT);

        LibertyStackListener.neo4jGate().cut();
        RecordMetadata last = null;
        for (int i = 0; i < 20; i++) {
            last = kafka.produce(tenant, signal(tenant, 1.0, "during-" + i));
        }
        // The consumer has fetched the records and failed to write them: nothing may be committed.
        Eventually.await("readiness reports the consumer's writes retrying", WAIT,
                () -> api.get("/health/ready").body().contains("\"writes\":\"retrying\""));
        assertThat(kafka.committed(last.partition())).as("offset committed while Neo4j is down")
                .isLessThanOrEqualTo(before.offset() + 1);
        LibertyStackListener.neo4jGate().restore();

        kafka.awaitCommittedPast(last, WAIT);
        assertThat(api.signalCount(tenant)).isEqualTo(21);
        awaitScore(tenant, (0.5 + 20 * 1.0) / 21);
    }
}
