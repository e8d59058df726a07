package io.coherence.testsupport;

import io.coherence.infrastructure.migrations.Migrator;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;
import org.postgresql.ds.PGSimpleDataSource;
import redis.embedded.RedisServer;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Real Neo4j, PostgreSQL and Redis engines for tests and the dev stack, each on a free loopback port.
 *
 * <p>Credentials: Neo4j runs with auth disabled, so the advertised user/password ("neo4j"/"coherence") are
 * accepted but not checked. PostgreSQL has a database {@code coherence} owned by role {@code coherence}
 * (password {@code coherence}); the embedded cluster uses trust auth on loopback, so the password is not checked
 * either. Engine logs go to files under the work dir, not to stdout.
 */
public final class EmbeddedEngines implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final String NEO4J_USER = "neo4j";
    private static final String NEO4J_PASSWORD = "coherence";
    private static final String PG_DATABASE = "coherence";
    private static final String PG_USER = "coherence";
    private static final String PG_PASSWORD = "coherence";

    private static EmbeddedEngines shared;

    private final Neo4j neo4j;
    private final EmbeddedPostgres postgres;
    private final RedisServer redis;
    private final int redisPort;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedEngines(Neo4j neo4j, EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.neo4j = neo4j;
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    /** Starts the three engines concurrently; on any failure, stops whatever did start and rethrows. */
    public static EmbeddedEngines start(Path workDir) {
        Path dir = workDir.toAbsolutePath();
        createDirectories(dir);
        int redisPort = freePort();
        // Own threads: the common pool has a single worker on a 2-core machine.
        ExecutorService starters = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "embedded-engines-start");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<Neo4j> neo4j =
                    CompletableFuture.supplyAsync(() -> startNeo4j(dir.resolve("neo4j")), starters);
            CompletableFuture<EmbeddedPostgres> postgres =
                    CompletableFuture.supplyAsync(() -> startPostgres(dir.resolve("postgres")), starters);
            CompletableFuture<RedisServer> redis =
                    CompletableFuture.supplyAsync(() -> startRedis(dir.resolve("redis"), redisPort), starters);
            try {
                CompletableFuture.allOf(neo4j, postgres, redis).join();
            } catch (CompletionException e) {
                neo4j.thenAccept(EmbeddedEngines::stopNeo4j);
                postgres.thenAccept(EmbeddedEngines::stopPostgres);
                redis.thenAccept(EmbeddedEngines::stopRedis);
                throw new IllegalStateException("Could not start the embedded engines", e.getCause());
            }
            return new EmbeddedEngines(neo4j.join(), postgres.join(), redis.join(), redisPort);
        } finally {
            starters.shutdown();
        }
    }

    /** One instance per JVM, started on first use and stopped by a shutdown hook. */
    public static synchronized EmbeddedEngines shared() {
        if (shared == null) {
            String configured = System.getProperty("coherence.it.workDir");
            Path workDir = configured != null && !configured.isBlank() ? Path.of(configured) : tempDir();
            EmbeddedEngines engines = start(workDir);
            Runtime.getRuntime().addShutdownHook(new Thread(engines::close, "embedded-engines-shutdown"));
            shared = engines;
        }
        return shared;
    }

    public String neo4jUri() {
        return "bolt://" + LOOPBACK + ":" + neo4j.boltURI().getPort();
    }

    public String neo4jUser() {
        return NEO4J_USER;
    }

    public String neo4jPassword() {
        return NEO4J_PASSWORD;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://" + LOOPBACK + ":" + postgres.getPort() + "/" + PG_DATABASE;
    }

    public String postgresUser() {
        return PG_USER;
    }

    public String postgresPassword() {
        return PG_PASSWORD;
    }

    public String redisUrl() {
        return "redis://" + LOOPBACK + ":" + redisPort;
    }

    public DataSource postgresDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(postgresJdbcUrl());
        ds.setUser(PG_USER);
        ds.setPassword(PG_PASSWORD);
        return ds;
    }

    /** A new driver (quiet) for this Neo4j, with the schema migrations applied. The caller closes it. */
    public Driver neo4jDriver() {
        Driver driver = GraphDatabase.driver(neo4jUri(),
                AuthTokens.basic(neo4jUser(), neo4jPassword()),
                Config.builder().withLogging(Logging.none()).build());
        Migrator.migrateNeo4j(driver);
        return driver;
    }

    /** The connection settings under the names the application reads from its environment. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NEO4J_URI", neo4jUri());
        env.put("NEO4J_USER", neo4jUser());
        env.put("NEO4J_PASSWORD", neo4jPassword());
        env.put("POSTGRES_JDBC_URL", postgresJdbcUrl());
        env.put("POSTGRES_USER", postgresUser());
        env.put("POSTGRES_PASSWORD", postgresPassword());
        env.put("REDIS_URL", redisUrl());
        return Collections.unmodifiableMap(env);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopRedis(redis);
            stopPostgres(postgres);
            stopNeo4j(neo4j);
        }
    }

    private static Neo4j startNeo4j(Path dir) {
        createDirectories(dir);
        return Neo4jBuilders.newInProcessBuilder(dir)
                .withDisabledServer()
                .withConfig(HttpConnector.enabled, false)
                .withConfig(HttpsConnector.enabled, false)
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(LOOPBACK, freePort()))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                // Test data is tiny; preallocating transaction logs only costs disk and time.
                .withConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty otherwise idles 5 s per event loop group on shutdown, twice.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .withConfig(GraphDatabaseSettings.logs_directory, dir.resolve("logs").toAbsolutePath())
                .build();
    }

    private static EmbeddedPostgres startPostgres(Path dir) {
        Path data = dir.resolve("data");
        // The data directory is scratch: a leftover one from a killed run would make initdb fail.
        deleteRecursively(data);
        createDirectories(dir);
        Redirect log = Redirect.appendTo(dir.resolve("postgres.log").toFile());
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(true)
                    .setPort(freePort())
                    .setServerConfig("listen_addresses", LOOPBACK)
                    .setServerConfig("shared_buffers", "32MB")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .start();
            createCoherenceDatabase(pg);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createCoherenceDatabase(EmbeddedPostgres pg) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + PG_USER + " LOGIN PASSWORD '" + PG_PASSWORD + "'");
            s.execute("CREATE DATABASE " + PG_DATABASE + " OWNER " + PG_USER);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the coherence database", e);
        }
    }

    private static RedisServer startRedis(Path dir, int port) {
        createDirectories(dir);
        try {
            Consumer<String> log = lineAppender(dir.resolve("redis.log"));
            RedisServer server = RedisServer.newRedisServer()
                    .bind(LOOPBACK)
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("dir \"" + dir + "\"")
                    .soutListener(log)
                    .serrListener(log)
                    .build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Redis writes only a few lines, so opening the file per line is cheap and leaves no handle open. */
    private static Consumer<String> lineAppender(Path file) {
        return line -> {
            try {
                Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException ignored) {
                // A lost log line must not disturb the engine or the tests.
            }
        };
    }

    private static void stopNeo4j(Neo4j neo4j) {
        quietly(neo4j::close);
    }

    private static void stopPostgres(EmbeddedPostgres postgres) {
        quietly(postgres::close);
    }

    private static void stopRedis(RedisServer redis) {
        quietly(redis::stop);
    }

    private interface Action {
        void run() throws Exception;
    }

    private static void quietly(Action action) {
        try {
            action.run();
        } catch (Exception ignored) {
            // close() promises never to throw; a failed stop only leaks a test process.
        }
    }

    /** Binds port 0 on loopback to let the OS choose a free port, then releases it for the engine. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("coherence-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
