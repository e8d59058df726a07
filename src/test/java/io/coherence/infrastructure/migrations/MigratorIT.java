package io.coherence.infrastructure.migrations;

import io.coherence.testsupport.EmbeddedEngines;
import org.junit.jupiter.api.Test;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.driver.Value;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MigratorIT {

    /** Whichever test migrated first, the second call of this one has nothing left to apply. */
    @Test
    void migratingPostgresAgainIsHarmlessAndReportsTheSameVersion() throws Exception {
        DataSource dataSource = EmbeddedEngines.shared().postgresDataSource();

        String first = Migrator.migratePostgres(dataSource, getClass().getClassLoader());
        String second = Migrator.migratePostgres(dataSource, getClass().getClassLoader());

        String applied = latestAppliedVersion(dataSource);
        assertThat(applied).as("the newest file in db-migrations/postgres").isEqualTo(newestMigrationFile());
        assertThat(first).isEqualTo(applied);
        assertThat(second).isEqualTo(applied);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM coherence_scores")) {
            assertThat(rs.next()).isTrue();
        }
    }

    private static String newestMigrationFile() throws Exception {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("basedir", "."))
                .resolve("db-migrations/postgres"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max(Integer::compare)
                    .map(String::valueOf).orElseThrow();
        }
    }

    private static String latestAppliedVersion(DataSource dataSource) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history"
                     + " WHERE success AND version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
            assertThat(rs.next()).as("Flyway recorded an applied migration").isTrue();
            return rs.getString(1);
        }
    }

    @Test
    void migratingNeo4jAgainIsHarmlessAndReportsTheSameVersion() {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        try (Driver driver = GraphDatabase.driver(engines.neo4jUri(),
                AuthTokens.basic(engines.neo4jUser(), engines.neo4jPassword()),
                Config.builder().withLogging(Logging.none()).build())) {

            Optional<String> first = Migrator.migrateNeo4j(driver);
            Optional<String> second = Migrator.migrateNeo4j(driver);

            assertThat(first).isPresent();
            assertThat(second).isEqualTo(first);
            try (var session = driver.session()) {
                assertThat(session.run("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS names")
                        .single().get("names").asList(Value::asString))
                        .contains("tenant_id_unique", "signal_identity_unique");
            }
        }
    }
    @Test
    void replicasStartingTogetherAllMigrateNeo4jInsteadOfFailingOnItsLock() throws Exception {
        EmbeddedEngines engines = EmbeddedEngines.shared();
        int replicas = 4;
        ExecutorService pool = Executors.newFixedThreadPool(replicas);
        CountDownLatch ready = new CountDownLatch(replicas);
        try (Driver driver = GraphDatabase.driver(engines.neo4jUri(),
                AuthTokens.basic(engines.neo4jUser(), engines.neo4jPassword()),
                Config.builder().withLogging(Logging.none()).build())) {
            List<Future<Optional<String>>> versions = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                versions.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return Migrator.migrateNeo4j(driver);
                }));
            }
            Optional<String> first = versions.get(0).get(2, TimeUnit.MINUTES);
            assertThat(first).isPresent();
            for (Future<Optional<String>> version : versions) {
                assertThat(version.get(2, TimeUnit.MINUTES)).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
