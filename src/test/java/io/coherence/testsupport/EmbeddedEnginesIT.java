package io.coherence.testsupport;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Session;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedEnginesIT {

    private static EmbeddedEngines engines;

    @BeforeAll
    static void startEngines() {
        engines = EmbeddedEngines.shared();
    }

    @Test
    void neo4jAnswersOverBolt() {
        Config config = Config.builder().withLogging(Logging.none()).build();
        try (Driver driver = GraphDatabase.driver(engines.neo4jUri(),
                AuthTokens.basic(engines.neo4jUser(), engines.neo4jPassword()), config);
             Session session = driver.session()) {
            assertThat(session.run("RETURN 1 AS one").single().get("one").asInt()).isEqualTo(1);
        }
    }

    @Test
    void postgresIsVersion17AndTheDataSourceWorks() throws Exception {
        try (Connection c = engines.postgresDataSource().getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(c.getMetaData().getDatabaseMajorVersion()).isEqualTo(17);
        }
    }

    @Test
    void coherenceUserOwnsTheCoherenceDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(engines.postgresJdbcUrl(),
                engines.postgresUser(), engines.postgresPassword());
             Statement s = c.createStatement()) {
            s.execute("create table if not exists it_probe (id int primary key)");
            try (ResultSet rs = s.executeQuery("select current_user, current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("coherence");
                assertThat(rs.getString(2)).isEqualTo("coherence");
            }
            s.execute("drop table it_probe");
        }
    }

    @Test
    void redisAnswersPing() throws Exception {
        URI uri = URI.create(engines.redisUrl());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[7];
            int read = 0;
            while (read < reply.length) {
                int n = in.read(reply, read, reply.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            assertThat(new String(reply, 0, read, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void environmentHasExactlyTheSevenKeys() {
        assertThat(engines.environment())
                .containsOnlyKeys("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
                        "POSTGRES_JDBC_URL", "POSTGRES_USER", "POSTGRES_PASSWORD", "REDIS_URL")
                .containsEntry("NEO4J_URI", engines.neo4jUri())
                .containsEntry("POSTGRES_JDBC_URL", engines.postgresJdbcUrl())
                .containsEntry("REDIS_URL", engines.redisUrl());
        assertThat(engines.neo4jUri()).matches("bolt://127\\.0\\.0\\.1:\\d+");
        assertThat(engines.postgresJdbcUrl()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/coherence");
        assertThat(engines.redisUrl()).matches("redis://127\\.0\\.0\\.1:\\d+");
    }
}
