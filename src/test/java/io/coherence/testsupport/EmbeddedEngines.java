package io.coherence.testsupport;

import io.coherence.infrastructure.migrations.Migrator;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Real Neo4j, PostgreSQL and Redis engines for tests and the dev stack, each on a free loopback port,
 * with their data under one directory ({@code neo4j/}, {@code postgres/}, {@code redis/}): wiped at
 * start ({@link EngineData#THROWAWAY}, the tests) or kept from run to run ({@link EngineData#KEPT}).
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

    private static EmbeddedEngines shared;

    private final Path dir;
    private final EngineData data;
    private final FileLock lock;
    private final EmbeddedNeo4j neo4j;
    private final EmbeddedPostgreSql postgres;
    private final EmbeddedRedis redis;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The graph's migrations ran (they cost about 0.2 s even when there is nothing to apply). */
    private boolean neo4jMigrated;
    private Driver sharedNeo4jDriver;

    private EmbeddedEngines(Path dir, EngineData data, FileLock lock, EmbeddedNeo4j neo4j, EmbeddedPostgreSql postgres,
                            EmbeddedRedis redis) {
        this.dir = dir;
        this.data = data;
        this.lock = lock;
        this.neo4j = neo4j;
        this.postgres = postgres;
        this.redis = redis;
    }

    /** Starts the three engines on throwaway data in {@code workDir}. */
    public static EmbeddedEngines start(Path workDir) {
        return start(workDir, EngineData.THROWAWAY);
    }

    /**
     * Starts the three engines concurrently on the data in {@code workDir}; on any failure, stops whatever
     * did start and rethrows. An engine left running on this directory by a run that was killed is stopped
     * first. Kept data is locked for this instance: a second one on the same directory fails to start.
     */
    public static EmbeddedEngines start(Path workDir, EngineData data) {
        Path dir = workDir.toAbsolutePath();
        createDirectories(dir);
        FileLock lock = data == EngineData.KEPT ? lock(dir) : null;
        try {
            LeftoverProcess.stop(EmbeddedPostgreSql.pidFile(dir.resolve("postgres")), "postgres", "INT", "PostgreSQL");
            LeftoverProcess.stop(EmbeddedRedis.pidFile(dir.resolve("redis")), "redis-server", "TERM", "Redis");
            if (data == EngineData.THROWAWAY) {
                deleteRecursively(dir.resolve("neo4j"));
            }
            return startAll(dir, data, lock);
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
    }

    private static EmbeddedEngines startAll(Path dir, EngineData data, FileLock lock) {
        // Own threads: the common pool has a single worker on a 2-core machine.
        ExecutorService starters = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "embedded-engines-start");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletableFuture<EmbeddedNeo4j> neo4j = CompletableFuture.supplyAsync(
                    () -> EmbeddedNeo4j.start(dir.resolve("neo4j"), LOOPBACK), starters);
            CompletableFuture<EmbeddedPostgreSql> postgres = CompletableFuture.supplyAsync(
                    () -> EmbeddedPostgreSql.start(dir.resolve("postgres"), LOOPBACK, data), starters);
            CompletableFuture<EmbeddedRedis> redis = CompletableFuture.supplyAsync(
                    () -> EmbeddedRedis.start(dir.resolve("redis"), LOOPBACK, data), starters);
            try {
                CompletableFuture.allOf(neo4j, postgres, redis).join();
            } catch (CompletionException e) {
                neo4j.thenAccept(EmbeddedEngines::stopQuietly);
                postgres.thenAccept(EmbeddedEngines::stopQuietly);
                redis.thenAccept(EmbeddedEngines::stopQuietly);
                throw new IllegalStateException("Could not start the embedded engines", e.getCause());
            }
            return new EmbeddedEngines(dir, data, lock, neo4j.join(), postgres.join(), redis.join());
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
        return "bolt://" + LOOPBACK + ":" + neo4j.boltPort();
    }

    public String neo4jUser() {
        return NEO4J_USER;
    }

    public String neo4jPassword() {
        return NEO4J_PASSWORD;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://" + LOOPBACK + ":" + postgres.port() + "/" + EmbeddedPostgreSql.DATABASE;
    }

    /** The JDBC URL of another database on this PostgreSQL, owned by the same role; created when missing. */
    public String postgresJdbcUrl(String database) {
        postgres.createDatabase(database);
        return "jdbc:postgresql://" + LOOPBACK + ":" + postgres.port() + "/" + database;
    }

    public String postgresUser() {
        return EmbeddedPostgreSql.USER;
    }

    public String postgresPassword() {
        return EmbeddedPostgreSql.PASSWORD;
    }

    public String redisUrl() {
        return "redis://" + LOOPBACK + ":" + redis.port();
    }

    public DataSource postgresDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(postgresJdbcUrl());
        ds.setUser(postgresUser());
        ds.setPassword(postgresPassword());
        return ds;
    }

    /** A new driver (quiet) for this Neo4j, with the schema migrations applied. The caller closes it. */
    public Driver neo4jDriver() {
        Driver driver = GraphDatabase.driver(neo4jUri(),
                AuthTokens.basic(neo4jUser(), neo4jPassword()),
                Config.builder().withLogging(Logging.none()).build());
        migrateOnce(driver);
        return driver;
    }

    /**
     * One driver for as long as these engines run, for callers that need one per test (the test
     * client): creating a driver per test cost about a quarter of a second. Never close it; the
     * engines do when they stop.
     */
    public synchronized Driver sharedNeo4jDriver() {
        if (sharedNeo4jDriver == null) {
            sharedNeo4jDriver = neo4jDriver();
        }
        return sharedNeo4jDriver;
    }

    private synchronized void migrateOnce(Driver driver) {
        if (!neo4jMigrated) {
            Migrator.migrateNeo4j(driver);
            neo4jMigrated = true;
        }
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

    /** The directory holding the engines' data. */
    public Path dataDirectory() {
        return dir;
    }

    /** The PostgreSQL server's (postmaster's) process id. */
    public long postgresPid() {
        return postgres.pid();
    }

    /** The redis-server process id. */
    public long redisPid() {
        return redis.pid();
    }

    /** Stops Redis, PostgreSQL and Neo4j, each cleanly; throwaway data goes with them. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (this) {
                if (sharedNeo4jDriver != null) {
                    stopQuietly(sharedNeo4jDriver);
                }
            }
            stopQuietly(redis);
            stopQuietly(postgres);
            stopQuietly(neo4j);
            if (data == EngineData.THROWAWAY) {
                quietly(() -> deleteRecursively(dir.resolve("neo4j")));
            }
            release(lock);
        }
    }

    private static void stopQuietly(AutoCloseable engine) {
        quietly(engine::close);
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
        return freePorts(1)[0];
    }

    /**
     * {@code count} different free ports: each stays bound until all are chosen, since a port just
     * released can be the OS's next choice (two single picks once gave Kafka's broker and controller
     * the same port).
     */
    public static int[] freePorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName(LOOPBACK);
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, loopback);
                held.add(socket);
                socket.setReuseAddress(true);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            held.forEach(EmbeddedEngines::closeQuietly);
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Only a port we no longer need.
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("coherence-it");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Held while the engines run on kept data; the system releases it if this JVM dies. */
    private static FileLock lock(Path dir) {
        try {
            FileChannel channel = FileChannel.open(dir.resolve("engines.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw new IllegalStateException(dir + " is in use by another running stack");
            }
            return lock;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void release(FileLock lock) {
        if (lock != null) {
            quietly(() -> lock.channel().close());
        }
    }

    /** Deletes a directory and everything in it; nothing when it is not there. */
    public static void deleteRecursively(Path dir) {
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
