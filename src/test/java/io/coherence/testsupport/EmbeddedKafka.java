package io.coherence.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft: broker and controller in one, no ZooKeeper) in this
 * JVM, from the Maven Central artifacts, on a free loopback port, with the ingest topic and its
 * dead-letter topic created. Started only when Kafka ingest is wanted; it is optional.
 */
public final class EmbeddedKafka implements AutoCloseable {

    public static final String TOPIC = "coherence.signals.v1";
    public static final String DLQ = TOPIC + ".dlq";

    /**
     * What docs/kafka.md recommends for both topics so that an erased subject's records are gone
     * from Kafka within the 24 h erasure promise: 18 h retention, segments rolled hourly (a record
     * leaves with its segment, so at worst about 20 h after it was written). Not for the tests'
     * broker: some tests produce records stamped years ago, which this would delete unread.
     */
    public static final Map<String, String> ERASURE_RETENTION = Map.of(
            "retention.ms", Long.toString(java.time.Duration.ofHours(18).toMillis()),
            "segment.ms", Long.toString(java.time.Duration.ofHours(1).toMillis()));

    private final KafkaRaftServer server;
    private final String bootstrap;

    private EmbeddedKafka(KafkaRaftServer server, String bootstrap) {
        this.server = server;
        this.bootstrap = bootstrap;
    }

    private static EmbeddedKafka shared;

    /** The broker the integration tests share (under coherence.it.workDir), stopped when the JVM exits. */
    public static synchronized EmbeddedKafka shared() {
        if (shared == null) {
            String configured = System.getProperty("coherence.it.workDir");
            Path dir = configured != null && !configured.isBlank() ? Path.of(configured).resolve("kafka")
                    : Path.of(System.getProperty("java.io.tmpdir"), "coherence-it-kafka-" + ProcessHandle.current().pid());
            EmbeddedKafka kafka = start(dir, 3);
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "embedded-kafka-shutdown"));
            shared = kafka;
        }
        return shared;
    }

    /**
     * Formats {@code dir} afresh (its data is scratch: a leftover log directory from another run has
     * another cluster id) and starts the broker; returns when it takes requests.
     */
    public static EmbeddedKafka start(Path dir, int partitions) {
        return start(dir, partitions, EngineData.THROWAWAY);
    }

    /**
     * Starts the broker on the log directory {@code dir/logs}: formatted afresh when the data is
     * throwaway; when kept, formatted only the first time, so its cluster id, topics, records and
     * consumer offsets come back on the next start. Returns when it takes requests.
     */
    public static EmbeddedKafka start(Path dir, int partitions, EngineData data) {
        int[] ports = EmbeddedEngines.freePorts(2);
        int brokerPort = ports[0];
        int controllerPort = ports[1];
        Properties props = new Properties();
        props.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("log.dirs", dir.resolve("logs").toString()),
                // One broker: internal topics cannot have more replicas, or consumer groups read nothing.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("num.partitions", Integer.toString(partitions)),
                Map.entry("auto.create.topics.enable", "false")));
        try {
            if (data == EngineData.THROWAWAY) {
                EmbeddedEngines.deleteRecursively(dir.resolve("logs"));
            }
            Files.createDirectories(dir);
            Path config = dir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "embedded KRaft broker");
            }
            if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                format(config);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        EmbeddedKafka kafka = new EmbeddedKafka(server, "127.0.0.1:" + brokerPort);
        kafka.createTopics(partitions);
        return kafka;
    }

    private static void format(Path config) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int formatted = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8));
        if (formatted != 0) {
            throw new IllegalStateException("formatting the Kafka storage failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private void createTopics(int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, partitions, (short) 1), new NewTopic(DLQ, partitions, (short) 1)))
                    .all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("creating the Kafka topics failed", e.getCause());
            }
        }
    }

    /** Sets these topic configs on both topics (created or kept), as an operator would with kafka-configs. */
    public void configureTopics(Map<String, String> configs) {
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET)).toList();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, TOPIC), ops,
                    new ConfigResource(ConfigResource.Type.TOPIC, DLQ), ops)).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("configuring the Kafka topics failed", e.getCause());
        }
    }

    /** host:port for any Kafka client. */
    public String bootstrap() {
        return bootstrap;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
