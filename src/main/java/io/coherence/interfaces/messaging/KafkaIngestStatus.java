package io.coherence.interfaces.messaging;

import io.coherence.application.ingest.StreamIngestStatus;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * What the Kafka ingest is doing, for readiness and metrics: whether the consumer runs, whether
 * its writes succeed, and, measured every {@code COHERENCE_KAFKA_LAG_INTERVAL} with an admin
 * client, the consumer group's state and its lag per partition
 * ({@code ingest_kafka_consumer_lag{partition}}: end offset minus committed offset). Kafka ingest
 * counts as enabled when {@code KAFKA_BOOTSTRAP_SERVERS} is set.
 */
@ApplicationScoped
public class KafkaIngestStatus implements StreamIngestStatus {

    private static final Logger LOG = Logger.getLogger(KafkaIngestStatus.class.getName());

    private final KafkaSettings settings;
    private final MetricRegistry metrics;
    private final Clock clock;

    private final Map<Integer, Long> lag = new ConcurrentHashMap<>();
    private final Set<MetricID> registered = ConcurrentHashMap.newKeySet();
    private volatile boolean consuming;
    private volatile boolean writing = true;
    private volatile String groupState = "UNKNOWN";
    private volatile int members;
    private volatile Instant lastMeasured;
    private volatile String lastError;
    private ScheduledExecutorService measurer;
    private Admin admin;

    /** For the CDI client proxy only. */
    protected KafkaIngestStatus() {
        this(null, null, null);
    }

    @Inject
    public KafkaIngestStatus(KafkaSettings settings, MetricRegistry metrics, Clock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return configured();
    }

    /** Kafka ingest counts as enabled when {@code KAFKA_BOOTSTRAP_SERVERS} is set. */
    static boolean configured() {
        return ConfigProvider.getConfig().getOptionalValue("KAFKA_BOOTSTRAP_SERVERS", String.class).isPresent();
    }

    void start(@Observes Startup startup) {
        if (!configured()) {
            return;
        }
        gauge("ingest_kafka_consumer_lag_sum", KafkaIngestStatus::totalLag);
        measurer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "coherence-kafka-lag");
            t.setDaemon(true);
            return t;
        });
        long every = settings.lagInterval().toMillis();
        measurer.scheduleWithFixedDelay(this::measure, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Registers a gauge on this instance; a redeployed application's gauges replace these. */
    private void gauge(String name, java.util.function.ToLongFunction<KafkaIngestStatus> value, Tag... tags) {
        MetricID id = new MetricID(name, tags);
        metrics.remove(id);
        metrics.gauge(name, this, s -> value.applyAsLong(s), tags);
        registered.add(id);
    }

    void consuming(boolean consuming) {
        this.consuming = consuming;
    }

    void writing(boolean writing) {
        this.writing = writing;
    }

    private void measure() {
        try {
            Admin client = admin();
            String group = settings.groupId();
            String topic = settings.topic();
            ConsumerGroupDescription description = client.describeConsumerGroups(List.of(group)).all()
                    .get(5, TimeUnit.SECONDS).get(group);
            Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Set<TopicPartition> partitions = client.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toSet());
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = client.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = client.listOffsets(
                    partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()))).all().get(5, TimeUnit.SECONDS);
            for (TopicPartition p : partitions) {
                OffsetAndMetadata at = committed.get(p);
                long from = at != null ? at.offset() : starts.get(p).offset();
                if (lag.put(p.partition(), Math.max(0, ends.get(p).offset() - from)) == null) {
                    gauge("ingest_kafka_consumer_lag", s -> s.lag.getOrDefault(p.partition(), 0L),
                            new Tag("partition", Integer.toString(p.partition())));
                }
            }
            groupState = description.groupState().toString();
            members = description.members().size();
            lastMeasured = clock.instant();
            lastError = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.FINE, "measuring Kafka consumer lag failed", e);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(settings.clientProperties());
            config.put(AdminClientConfig.CLIENT_ID_CONFIG, "coherence-kafka-status");
            config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
            admin = Admin.create(config);
        }
        return admin;
    }

    private long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The state for the readiness check's data. */
    @Override
    public Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("enabled", configured());
        if (!configured()) {
            return report;
        }
        boolean reachable = lastMeasured != null
                && lastMeasured.isAfter(clock.instant().minus(settings.lagInterval().multipliedBy(3)));
        report.put("consumer", consuming ? "running" : "idle");
        report.put("writes", writing ? "ok" : "retrying");
        report.put("broker", reachable ? "UP" : "DOWN");
        report.put("group", settings.groupId() + " " + groupState + " (" + members + " members)");
        report.put("lag", totalLag());
        Optional.ofNullable(lastError).ifPresent(e -> report.put("lastError", e));
        return report;
    }

    @PreDestroy
    synchronized void stop() {
        if (measurer != null) {
            measurer.shutdownNow();
        }
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
        }
        registered.forEach(metrics::remove);
    }
}
