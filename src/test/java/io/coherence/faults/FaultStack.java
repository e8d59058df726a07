package io.coherence.faults;

import io.coherence.testsupport.DevKeys;
import io.coherence.testsupport.EmbeddedEngines;
import io.coherence.testsupport.EmbeddedKafka;
import io.coherence.testsupport.LibertyOverrides;
import io.coherence.testsupport.StackSettings;
import io.coherence.testsupport.TcpGate;
import io.coherence.testsupport.TokenMinter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack under test: PostgreSQL, Neo4j, Redis and a Kafka broker in this JVM (they outlive
 * every Liberty restart, so a restarted server finds the same data), a TCP gate in front of each
 * of the three stores (the fault cuts it), and Liberty as a child process that reaches the stores
 * only through the gates and consumes Kafka ingest like the dev stack with Kafka does.
 */
final class FaultStack implements AutoCloseable {

    /** The stores a fault can cut off. */
    enum Store { NEO4J, POSTGRES, REDIS }

    private final EmbeddedEngines engines;
    private final EmbeddedKafka kafka;
    private final Map<Store, TcpGate> gates;
    private final TokenMinter minter;
    private final LibertyServer liberty;
    private final URI base;
    private final List<Path> written;

    private FaultStack(EmbeddedEngines engines, EmbeddedKafka kafka, Map<Store, TcpGate> gates, TokenMinter minter,
                       LibertyServer liberty, URI base, List<Path> written) {
        this.engines = engines;
        this.kafka = kafka;
        this.gates = gates;
        this.minter = minter;
        this.liberty = liberty;
        this.base = base;
        this.written = written;
    }

    /** Starts the engines and the gates and configures the server; Liberty itself is started by {@link #startLiberty}. */
    static FaultStack start(Path work, Path wlpHome, String serverName, Path projectDir) throws IOException {
        Files.createDirectories(work);
        Path serverDir = wlpHome.resolve("usr/servers").resolve(serverName);
        if (!Files.isDirectory(serverDir)) {
            throw new IllegalStateException("no Liberty server at " + serverDir + " (mvn -Pfaults creates it)");
        }
        DevKeys keys = DevKeys.loadOrCreate(work.resolve("keys"));
        EmbeddedEngines engines = EmbeddedEngines.start(work.resolve("engines"));
        EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("engines/kafka"), 3);
        Map<Store, TcpGate> gates = new LinkedHashMap<>();
        gates.put(Store.NEO4J, gate(engines.neo4jUri()));
        gates.put(Store.POSTGRES, gate(engines.postgresJdbcUrl().substring("jdbc:".length())));
        gates.put(Store.REDIS, gate(engines.redisUrl()));

        int[] ports = EmbeddedEngines.freePorts(2);
        int httpPort = ports[0];
        Map<String, String> settings = new LinkedHashMap<>(
                StackSettings.of(engines, keys, httpPort, ports[1]));
        settings.put("NEO4J_URI", "bolt://127.0.0.1:" + gates.get(Store.NEO4J).port());
        settings.put("POSTGRES_JDBC_URL", "jdbc:postgresql://127.0.0.1:" + gates.get(Store.POSTGRES).port()
                + URI.create(engines.postgresJdbcUrl().substring("jdbc:".length())).getPath());
        settings.put("REDIS_URL", "redis://127.0.0.1:" + gates.get(Store.REDIS).port());
        List<Path> written = new ArrayList<>();
        written.add(StackSettings.enableKafka(serverDir, projectDir, settings, kafka));
        written.add(LibertyOverrides.write(serverDir, settings));

        TokenMinter minter = new TokenMinter(keys.privateKey(), StackSettings.ISSUER, StackSettings.AUDIENCE);
        LibertyServer liberty = new LibertyServer(wlpHome, serverName, work.resolve("liberty-console.log"));
        return new FaultStack(engines, kafka, gates, minter, liberty, URI.create("http://127.0.0.1:" + httpPort), written);
    }

    private static TcpGate gate(String uri) {
        URI u = URI.create(uri);
        return TcpGate.to(u.getHost(), u.getPort());
    }

    /** Starts Liberty and returns once it is ready (all stores reachable). */
    void startLiberty(Duration timeout) throws IOException {
        liberty.start();
        liberty.awaitOk(base.resolve("/health/ready"), timeout);
    }

    /** Starts Liberty again when a fault left it dead. */
    void startLibertyIfDown(Duration timeout) throws IOException {
        if (!liberty.isAlive()) {
            startLiberty(timeout);
        }
    }

    void awaitReady(Duration timeout) {
        liberty.awaitOk(base.resolve("/health/ready"), timeout);
    }

    void killLiberty() {
        liberty.kill();
    }

    TcpGate gate(Store store) {
        return gates.get(store);
    }

    URI base() {
        return base;
    }

    String kafkaBootstrap() {
        return kafka.bootstrap();
    }

    String redisUrl() {
        return engines.redisUrl();
    }

    String token(String tenant) {
        return minter.mint(tenant, List.of("coherence:read", "coherence:write"), Duration.ofHours(2));
    }

    StoreInspector inspector() {
        return new StoreInspector(engines.neo4jDriver(), engines.postgresDataSource());
    }

    @Override
    public void close() {
        liberty.close();
        gates.values().forEach(TcpGate::close);
        kafka.close();
        engines.close();
        // Without these engines the settings are wrong; nothing else may inherit them.
        written.forEach(p -> p.toFile().delete());
    }
}
