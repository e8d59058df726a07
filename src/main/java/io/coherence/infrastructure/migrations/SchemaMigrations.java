package io.coherence.infrastructure.migrations;

import ac.simons.neo4j.migrations.core.Migrations;
import ac.simons.neo4j.migrations.core.MigrationsConfig;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.neo4j.driver.Driver;

/**
 * Applies the versioned migrations in {@code db-migrations/} when the application starts:
 * Flyway for PostgreSQL, neo4j-migrations for Neo4j. Both record what they applied and take a
 * lock while applying, so a re-run or replicas starting together are harmless. The application
 * does not start when a migration fails.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Inject
    Driver driver;

    @PostConstruct
    void migrate() {
        var postgres = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db-migrations/postgres")
                .callbackLocations("classpath:db-migrations/postgres")
                // Liberty creates its timer tables in the same schema before this runs.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        LOG.info(() -> "PostgreSQL schema at version " + postgres.targetSchemaVersion
                + " (" + postgres.migrationsExecuted + " migrations applied now)");

        var neo4j = new Migrations(MigrationsConfig.builder()
                .withLocationsToScan("classpath:db-migrations/neo4j")
                .withAutocrlf(true)
                .build(), driver);
        neo4j.apply().ifPresent(v -> LOG.info(() -> "Neo4j schema at version " + v.getValue()));
    }
}
