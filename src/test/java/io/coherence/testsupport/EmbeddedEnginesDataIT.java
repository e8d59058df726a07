package io.coherence.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;

/**
 * Kept data ({@code mvn -Pdev -Ddata=DIR}) comes back: after a clean stop, after the engines' own
 * processes are killed with -9, and after the JVM that started them is killed with -9 and leaves
 * PostgreSQL and Redis running on the directory. Throwaway data does not.
 */
class EmbeddedEnginesDataIT {

    @Test
    void keptDataComesBackAfterAStopAndThrowawayDataDoesNot(@TempDir Path dir) throws Exception {
        String clusterId;
        try (EmbeddedEngines engines = EmbeddedEngines.start(dir, EngineData.KEPT);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 1, EngineData.KEPT)) {
            write(engines, "before-stop");
            assertThat(postgresSetting(engines, "fsync")).isEqualTo("on");
            assertThat(postgresSetting(engines, "synchronous_commit")).isEqualTo("on");
            clusterId = clusterId(kafka);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(EmbeddedKafka.TOPIC, "tenant-1", "before-stop")).get();
            }
        }

        try (EmbeddedEngines engines = EmbeddedEngines.start(dir, EngineData.KEPT);
             EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 1, EngineData.KEPT)) {
            assertHolds(engines, "before-stop");
            assertThat(clusterId(kafka)).isEqualTo(clusterId);
            assertThat(consumeAll(kafka)).containsExactly("before-stop");
        }

        try (EmbeddedEngines engines = EmbeddedEngines.start(dir, EngineData.THROWAWAY)) {
            assertThat(neo4jProbes(engines)).isEmpty();
            assertThat(redis(engines, "GET", "probe:before-stop")).isEqualTo("$-1");
            try (Connection c = engines.postgresDataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('public.probe') IS NULL")) {
                assertThat(rs.next() && rs.getBoolean(1)).as("the probe table is gone").isTrue();
            }
        }
    }

    @Test
    void committedDataSurvivesKillingTheLauncherAndTheEngines(@TempDir Path dir) throws Exception {
        // A launcher in its own JVM writes, then dies by kill -9: PostgreSQL and Redis live on, orphaned.
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long[] pids = awaitWritten(launcher);
        launcher.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(ProcessHandle.of(pids[0]).map(ProcessHandle::isAlive)).as("orphaned postgres").contains(true);
        assertThat(ProcessHandle.of(pids[1]).map(ProcessHandle::isAlive)).as("orphaned redis").contains(true);

        EmbeddedEngines engines = EmbeddedEngines.start(dir, EngineData.KEPT);
        try {
            assertThat(ProcessHandle.of(pids[0]).filter(ProcessHandle::isAlive)).as("old postgres stopped").isEmpty();
            assertThat(ProcessHandle.of(pids[1]).filter(ProcessHandle::isAlive)).as("old redis stopped").isEmpty();
            assertHolds(engines, "launcher-killed");

            write(engines, "engines-killed");
            // Redis answered the SET; once the write is in its append-only file, a kill -9 cannot take it.
            Path aof = dir.resolve("redis").resolve("appendonly.aof");
            Eventually.await("the key is in Redis's append-only file", Duration.ofSeconds(10),
                    () -> readQuietly(aof).contains("probe:engines-killed"));
            killHard(engines.redisPid());
            ProcessHandle postmaster = ProcessHandle.of(engines.postgresPid()).orElseThrow();
            List<ProcessHandle> postgres = new ArrayList<>(postmaster.descendants().toList());
            postgres.add(postmaster);
            postgres.forEach(p -> killHard(p.pid()));
        } finally {
            engines.close();
        }

        try (EmbeddedEngines again = EmbeddedEngines.start(dir, EngineData.KEPT)) {
            assertHolds(again, "launcher-killed");
            assertHolds(again, "engines-killed");
        }
    }

    /** The launcher that gets killed: starts kept engines on args[0], writes, says so, then waits to die. */
    public static final class Launcher {

        public static void main(String[] args) throws Exception {
            EmbeddedEngines engines = EmbeddedEngines.start(Path.of(args[0]), EngineData.KEPT);
            write(engines, "launcher-killed");
            System.out.println("written " + engines.postgresPid() + " " + engines.redisPid());
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    private static long[] awaitWritten(Process launcher) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("written ")) {
                String[] parts = line.split(" ");
                return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
            }
            seen.add(line);
        }
        throw new AssertionError("the launcher ended without writing: " + seen);
    }

    /** One committed Neo4j node, PostgreSQL row and Redis key, each named after the mark. */
    static void write(EmbeddedEngines engines, String mark) throws Exception {
        try (Driver driver = driver(engines); Session session = driver.session()) {
            session.run("CREATE (:Probe {mark: $mark})", Map.of("mark", mark)).consume();
        }
        try (Connection c = engines.postgresDataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe (mark text PRIMARY KEY)");
            s.execute("INSERT INTO probe VALUES ('" + mark + "')");
        }
        assertThat(redis(engines, "SET", "probe:" + mark, mark)).isEqualTo("+OK");
    }

    private static void assertHolds(EmbeddedEngines engines, String mark) throws Exception {
        assertThat(neo4jProbes(engines)).contains(mark);
        try (Connection c = engines.postgresDataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM probe WHERE mark = '" + mark + "'")) {
            assertThat(rs.next() ? rs.getInt(1) : 0).as("postgres row " + mark).isEqualTo(1);
        }
        assertThat(redis(engines, "GET", "probe:" + mark)).isEqualTo("$" + mark.length() + "\r\n" + mark);
    }

    private static List<String> neo4jProbes(EmbeddedEngines engines) {
        try (Driver driver = driver(engines); Session session = driver.session()) {
            return session.run("MATCH (p:Probe) RETURN p.mark AS mark").list(r -> r.get("mark").asString());
        }
    }

    private static Driver driver(EmbeddedEngines engines) {
        return GraphDatabase.driver(engines.neo4jUri(), AuthTokens.basic(engines.neo4jUser(), engines.neo4jPassword()),
                Config.builder().withLogging(Logging.none()).build());
    }

    private static String postgresSetting(EmbeddedEngines engines, String name) throws Exception {
        try (Connection c = engines.postgresDataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One RESP command; the reply's first line, plus the bulk string when there is one. */
    private static String redis(EmbeddedEngines engines, String... command) throws IOException {
        URI uri = URI.create(engines.redisUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*" + command.length + "\r\n");
            for (String part : command) {
                request.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String first = readLine(in);
            if (first.startsWith("$") && !first.equals("$-1")) {
                return first + "\r\n" + readLine(in);
            }
            return first;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static String clusterId(EmbeddedKafka kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
            return admin.describeCluster().clusterId().get();
        }
    }

    private static List<String> consumeAll(EmbeddedKafka kafka) {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(), ConsumerConfig.GROUP_ID_CONFIG, "kept-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(EmbeddedKafka.TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> read.add(r.value()));
            }
        }
        return read;
    }

    private static void killHard(long pid) {
        LeftoverProcess.signal(pid, "KILL");
        ProcessHandle.of(pid).ifPresent(p -> Eventually.await("pid " + pid + " is gone", Duration.ofSeconds(10),
                () -> !p.isAlive()));
    }

    private static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
