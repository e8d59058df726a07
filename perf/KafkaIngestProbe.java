import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka ingest benchmark against the dev stack started with {@code mvn -Pdev -Dkafka=true}
 * (run it through perf/kafka-ingest.sh, which puts the Kafka client on the class path).
 *
 * 1. Sustained throughput: produces {@code records} records of {@code perRecord} new signals
 *    each, keyed over {@code tenants} fresh tenants, as fast as the producer goes, and waits until
 *    the service's consumer group has committed every offset: an offset is committed only after
 *    the Neo4j transaction holding its signals committed, so that is signals durably ingested.
 * 2. End-to-end latency: {@code probes} times, one signal for a fresh tenant, from the produce
 *    call until {@code tenantCoherence} serves exactly its value; then the same through
 *    {@code POST /v1/coherence/signals}, so the Kafka part and the materializer's part separate.
 *
 * Args: records perRecord tenants probes (defaults 2000 100 20 20).
 */
public class KafkaIngestProbe {

    static final String TOPIC = "coherence.signals.v1";
    static final String GROUP = "coherence-ingest";

    public static void main(String[] args) throws Exception {
        Locale.setDefault(Locale.ROOT);
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perRecord = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int tenants = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int probes = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        String descriptor = Files.readString(Path.of(System.getenv().getOrDefault("COHERENCE_DEVSTACK", "target/devstack/devstack.json")));
        String bootstrap = field(descriptor, "kafkaBootstrap");
        String run = UUID.randomUUID().toString().substring(0, 8);
        System.out.printf("kafka ingest probe: %d records x %d signals over %d tenants, %d latency probes, broker %s, run %s%n",
                records, perRecord, tenants, probes, bootstrap, run);

        Map<String, Object> producerConfig = Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 5,
                "batch.size", 262144, "compression.type", "lz4");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            PrivateKey key = privateKey(Path.of(field(descriptor, "signingKey")));
            Map<String, String> tokens = new HashMap<>();
            Function<String, String> tokenFor = tenant -> tokens.computeIfAbsent(tenant, t -> jwt(key,
                    field(descriptor, "issuer"), field(descriptor, "audience"), t));
            throughput(producer, admin, run, records, perRecord, tenants, tokenFor);
            latency(producer, admin, descriptor, run, probes);
        }
    }

    static void throughput(KafkaProducer<String, String> producer, Admin admin, String run, int records, int perRecord,
                           int tenants, Function<String, String> tokenFor) throws Exception {
        awaitCaughtUp(admin, Duration.ofSeconds(60));
        String ts = Instant.now().toString();
        long started = System.nanoTime();
        for (int r = 0; r < records; r++) {
            String tenant = "probe-kafka-" + run + "-" + (r % tenants);
            StringBuilder value = new StringBuilder("[");
            for (int i = 0; i < perRecord; i++) {
                value.append(i == 0 ? "" : ",").append("{\"tenantId\":\"").append(tenant)
                        .append("\",\"type\":\"latency\",\"value\":").append(ThreadLocalRandom.current().nextInt(100) / 100.0)
                        .append(",\"source\":\"kafka-probe\",\"signalId\":\"").append(r).append('-').append(i)
                        .append("\",\"ts\":\"").append(ts).append("\"}");
            }
            producer.send(record(tenant, value.append(']').toString(), tokenFor.apply(tenant)));
        }
        producer.flush();
        double produceSeconds = (System.nanoTime() - started) / 1e9;
        long lagAtFlush = lag(admin);
        awaitCaughtUp(admin, Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - started) / 1e9;
        long signals = (long) records * perRecord;
        System.out.printf("produced %,d signals in %.2f s (%,.0f signals/s); consumer lag when the producer finished: %,d records%n",
                signals, produceSeconds, signals / produceSeconds, lagAtFlush);
        System.out.printf("THROUGHPUT committed to Neo4j (offsets committed): %,d signals in %.2f s = %,.0f signals/s (%,.0f records/s)%n",
                signals, seconds, signals / seconds, records / seconds);
    }

    /** Records of the signal topic not yet committed by the service's group. */
    static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get();
        Set<TopicPartition> partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC)
                .partitions().stream().map(p -> new TopicPartition(TOPIC, p.partition())).collect(Collectors.toSet());
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata at = committed.get(e.getKey());
            lag += e.getValue().offset() - (at == null ? 0 : at.offset());
        }
        return lag;
    }

    static void awaitCaughtUp(Admin admin, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (lag(admin) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer did not catch up within " + timeout + " (is Kafka ingest on?)");
            }
            Thread.sleep(20);
        }
    }

    static void latency(KafkaProducer<String, String> producer, Admin admin, String descriptor, String run, int probes)
            throws Exception {
        PrivateKey key = privateKey(Path.of(field(descriptor, "signingKey")));
        URI graphql = URI.create(field(descriptor, "graphqlUrl"));
        URI ingest = URI.create(field(descriptor, "ingestUrl"));
        HttpClient http = HttpClient.newHttpClient();
        List<Double> committedMillis = new ArrayList<>();
        for (String channel : List.of("kafka", "http")) {
            List<Double> millis = new ArrayList<>();
            for (int p = 0; p < probes; p++) {
                String tenant = "probe-latency-" + channel + "-" + run + "-" + p;
                String token = jwt(key, field(descriptor, "issuer"), field(descriptor, "audience"), tenant);
                double value = (1 + ThreadLocalRandom.current().nextInt(99)) / 100.0;
                String signal = "{\"tenantId\":\"" + tenant + "\",\"type\":\"latency\",\"value\":" + value
                        + ",\"source\":\"latency-probe\",\"signalId\":\"only\"}";
                long started = System.nanoTime();
                if (channel.equals("kafka")) {
                    var sent = producer.send(record(tenant, signal, token)).get();
                    TopicPartition partition = new TopicPartition(TOPIC, sent.partition());
                    while (true) {
                        OffsetAndMetadata at = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                                .get(partition);
                        if (at != null && at.offset() > sent.offset()) {
                            break;
                        }
                        Thread.sleep(2);
                    }
                    committedMillis.add((System.nanoTime() - started) / 1e6);
                } else {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(signal)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 202) {
                        throw new IllegalStateException("ingest answered " + r.statusCode() + ": " + r.body());
                    }
                }
                awaitScore(http, graphql, token, tenant, value);
                millis.add((System.nanoTime() - started) / 1e6);
            }
            millis.sort(Double::compare);
            if (channel.equals("kafka")) {
                committedMillis.sort(Double::compare);
                System.out.printf("LATENCY kafka produce -> offset committed (signal in Neo4j), %d probes: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
                        probes, pct(committedMillis, 50), pct(committedMillis, 95), committedMillis.get(committedMillis.size() - 1));
            }
            System.out.printf("LATENCY %s produce/POST -> visible in tenantCoherence, %d probes: p50 %.0f ms, p95 %.0f ms, max %.0f ms%n",
                    channel, probes, pct(millis, 50), pct(millis, 95), millis.get(millis.size() - 1));
        }
    }

    static void awaitScore(HttpClient http, URI graphql, String token, String tenant, double value) throws Exception {
        String body = "{\"query\":\"query($t:ID!){ tenantCoherence(tenantId:$t){ score } }\",\"variables\":{\"t\":\"" + tenant + "\"}}";
        String expected = "\"score\":" + value;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String answer = http.send(HttpRequest.newBuilder(graphql).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (answer.contains(expected)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(tenant + " never showed score " + value);
    }

    static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // The next three are FanoutProbe's: single-file programs cannot share code.

    /** A record as the service takes it: keyed by the tenant, with the producer's token for that tenant. */
    static ProducerRecord<String, String> record(String tenant, String value, String token) {
        ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, tenant, value);
        record.headers().add("authorization", ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    static String jwt(PrivateKey key, String issuer, String audience, String tenant) {
        try {
            return signedJwt(key, issuer, audience, tenant);
        } catch (Exception e) {
            throw new IllegalStateException("could not sign a token", e);
        }
    }

    static String signedJwt(PrivateKey key, String issuer, String audience, String tenant) throws Exception {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}";
        String claims = String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"probe:%s\",\"tenant\":\"%s\","
                + "\"scope\":\"coherence:read coherence:write\",\"iat\":%d,\"exp\":%d}", issuer, audience, tenant, tenant, now, now + 3600);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rsa.sign());
    }

    static PrivateKey privateKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalArgumentException(name + " missing in devstack.json");
        }
        return m.group(1);
    }
}
