package io.coherence.testsupport;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Before any test runs, and only when the plan holds Arquillian tests: starts the embedded
 * engines, points the Liberty test server at them (configDropins) on a free port, and publishes
 * that port and the dev keys' location as system properties for arquillian.xml and the tests.
 */
public class LibertyStackListener implements TestExecutionListener {

    public static final String HTTP_PORT = "coherence.it.httpPort";
    public static final String KEYS_DIR = "coherence.it.keysDir";
    /** The test server's JVM arguments (arquillian.xml): tracing to the tests' OTLP receiver, coverage. */
    public static final String JVM_ARGUMENTS = "coherence.it.javaVmArguments";

    /** An operator's registry with a retiring and a retired persisted query. */
    public static final String RETIRING_QUERIES = "/graphql/retiring-persisted-queries.json";

    /** Small subscription limits, so the tests can reach each one quickly. */
    public static final Map<String, String> SUBSCRIPTION_LIMITS = Map.of(
            "COHERENCE_WS_INIT_TIMEOUT", "PT1S",
            "COHERENCE_WS_MAX_CONNECTIONS_PER_TENANT", "4",
            "COHERENCE_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION", "5",
            "COHERENCE_WS_SEND_QUEUE", "32",
            "COHERENCE_WS_SLOW_CONSUMER_GRACE", "PT0.5S",
            "COHERENCE_WS_SEND_TIMEOUT", "PT1S",
            "COHERENCE_WS_SENDER_THREADS_PER_TENANT", "2",
            "COHERENCE_WS_LENT_SENDERS_PER_TENANT", "8",
            "COHERENCE_WS_MAX_MESSAGE_BYTES", "16384");

    /** Short PostgreSQL timeouts, so the tests of a hung database do not wait long. */
    public static final Map<String, String> POSTGRES_TIMEOUTS = Map.of(
            "POSTGRES_CONNECT_TIMEOUT", "5s",
            "POSTGRES_LOGIN_TIMEOUT", "10s",
            "POSTGRES_QUERY_TIMEOUT", "3s",
            "POSTGRES_CANCEL_TIMEOUT", "1s",
            "POSTGRES_SOCKET_TIMEOUT", "4s");

    /** The test server's replay window in events, small enough for a test to go beyond it. */
    public static final int REPLAY_MAX_EVENTS = 100;

    /** The test server's socket send buffer (see {@link LibertyOverrides#withSendBuffer}). */
    public static final int SEND_BUFFER_BYTES = 8192;

    private static volatile TcpGate neo4jGate;
    private static volatile TcpGate postgresGate;

    /** The gate between the test server and Neo4j. */
    public static TcpGate neo4jGate() {
        return neo4jGate;
    }

    /** The gate between the test server and PostgreSQL. */
    public static TcpGate postgresGate() {
        return postgresGate;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (!hasArquillianTests(plan) || System.getProperty(HTTP_PORT) != null) {
            return;
        }
        Path wlp = Path.of(required("coherence.it.wlpHome"));
        Path serverDir = wlp.resolve("usr/servers").resolve(required("coherence.it.serverName"));
        Path work = Path.of(required("coherence.it.workDir"));
        EmbeddedEngines engines = EmbeddedEngines.shared();
        DevKeys keys = DevKeys.loadOrCreate(work.resolve("keys"));
        int[] ports = EmbeddedEngines.freePorts(2);
        int httpPort = ports[0];
        Map<String, String> settings = new LinkedHashMap<>(
                StackSettings.of(engines, keys, httpPort, ports[1]));
        // The server reaches Neo4j through a gate a test can cut (Neo4j "down"), and consumes Kafka.
        URI neo4j = URI.create(engines.neo4jUri());
        neo4jGate = TcpGate.to(neo4j.getHost(), neo4j.getPort());
        settings.put("NEO4J_URI", "bolt://127.0.0.1:" + neo4jGate.port());
        // ... and PostgreSQL through another (down or hung).
        URI postgres = URI.create(engines.postgresJdbcUrl().substring("jdbc:".length()));
        postgresGate = TcpGate.to(postgres.getHost(), postgres.getPort());
        settings.put("POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + postgresGate.port() + postgres.getPath());
        settings.putAll(POSTGRES_TIMEOUTS);
        StackSettings.enableKafka(serverDir, Path.of(System.getProperty("basedir", ".")), settings, EmbeddedKafka.shared());
        // Short enough for the tests to see lag and broker state change.
        settings.put("COHERENCE_KAFKA_LAG_INTERVAL", "PT1S");
        settings.put("COHERENCE_KAFKA_RETRY_BACKOFF_MAX", "PT1S");
        settings.putAll(SUBSCRIPTION_LIMITS);
        settings.put("COHERENCE_EVENTS_REPLAY_MAX_EVENTS", Integer.toString(REPLAY_MAX_EVENTS));
        // Other suites cut Neo4j: a scheduled retention run that fails then is tried again within
        // seconds, not the default 15 minutes (RetentionIT waits for a completed one).
        settings.put("COHERENCE_RETENTION_RETRY_AFTER", "PT10S");
        // A tick whose own bookkeeping in PostgreSQL fails (the outage suites cut it) leaves Liberty's
        // claim on the persistent timer until the missed task threshold: the shortest Liberty allows,
        // not the 5 minutes a deployment uses (seen: the next run 5 min 5 s after such a tick).
        settings.put("TIMER_MISSED_TASK_THRESHOLD", "100s");
        // A request whose commit Neo4j does not confirm answers 503 after 10 s, not the default 30 s:
        // the outage suites wait for that answer (Neo4jOutageIngestIT); no healthy commit comes near it.
        settings.put("COHERENCE_WRITER_TIMEOUT", "PT10S");
        // The test server's console goes into the build's output: warnings only (messages.log keeps all).
        settings.put("COHERENCE_CONSOLE_LOG_LEVEL", "WARNING");
        settings.put("COHERENCE_PERSISTED_QUERIES_FILE", resourcePath(RETIRING_QUERIES));
        LibertyOverrides.write(serverDir, settings, "localConnector-1.0");
        LibertyOverrides.withSendBuffer(serverDir, SEND_BUFFER_BYTES);
        LibertyOverrides.withoutDeclaredApplication(serverDir);
        System.setProperty(JVM_ARGUMENTS, jvmArguments());
        System.setProperty(HTTP_PORT, Integer.toString(httpPort));
        System.setProperty(KEYS_DIR, work.resolve("keys").toString());
    }

    /** An engine test class (no Arquillian) runs without the shared deployment beside it. */
    @Override
    public void executionStarted(TestIdentifier id) {
        if (id.getSource().orElse(null) instanceof ClassSource cs && !isArquillian(cs.getJavaClass())) {
            SharedDeploymentExtension.undeployShared();
        }
    }

    /**
     * OpenTelemetry on, at the runtime level (system properties, as an operator's OTEL_* environment
     * would), every trace sampled and exported within 200 ms to the tests' receiver; and the JaCoCo
     * agent failsafe prepared, so the server's code counts towards coverage.
     */
    private static String jvmArguments() {
        StringBuilder args = new StringBuilder();
        String coverage = System.getProperty("coherence.it.coverageAgent", "");
        if (coverage.startsWith("-javaagent:")) {
            args.append(coverage).append(' ');
        }
        Map<String, String> otel = new LinkedHashMap<>();
        otel.put("otel.sdk.disabled", "false");
        otel.put("otel.service.name", "coherence");
        otel.put("otel.traces.exporter", "otlp");
        otel.put("otel.propagators", "tracecontext,baggage");
        otel.put("otel.exporter.otlp.protocol", "http/protobuf");
        otel.put("otel.exporter.otlp.endpoint", OtlpTraceReceiver.shared().endpoint());
        otel.put("otel.traces.sampler", "always_on");
        otel.put("otel.bsp.schedule.delay", "200");
        otel.put("otel.metrics.exporter", "none");
        otel.put("otel.logs.exporter", "none");
        otel.forEach((k, v) -> args.append("-D").append(k).append('=').append(v).append(' '));
        return args.toString().trim();
    }

    /** A test resource's path on disk, for a server setting that names a file. */
    public static String resourcePath(String name) {
        try {
            return Path.of(LibertyStackListener.class.getResource(name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasArquillianTests(TestPlan plan) {
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getDescendants(root)) {
                Optional<TestSource> source = id.getSource();
                if (source.isPresent() && source.get() instanceof ClassSource cs && isArquillian(cs.getJavaClass())) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean isArquillian(Class<?> test) {
        return AnnotationSupport.findRepeatableAnnotations(test, ExtendWith.class).stream()
                .anyMatch(e -> java.util.Arrays.asList(e.value()).contains(ArquillianExtension.class));
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it)");
        }
        return value;
    }
}
