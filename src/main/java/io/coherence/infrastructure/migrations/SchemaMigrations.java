package io.coherence.infrastructure.migrations;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.neo4j.driver.Driver;

/**
 * Applies the versioned migrations in {@code db-migrations/} when the application starts:
 * Flyway for PostgreSQL, neo4j-migrations for Neo4j. Both record what they applied and take a
 * lock while applying, which a replica starting at the same time waits for, so a re-run or
 * replicas starting together are harmless (ReplicasIT starts two at once). The application
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
        String postgres = Migrator.migratePostgres(dataSource, getClass().getClassLoader());
        LOG.info(() -> "PostgreSQL schema at version " + postgres);
        Migrator.migrateNeo4j(driver).ifPresent(v -> LOG.info(() -> "Neo4j schema at version " + v));
    }
}
