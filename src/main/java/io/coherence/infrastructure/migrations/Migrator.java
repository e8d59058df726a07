package io.coherence.infrastructure.migrations;

import ac.simons.neo4j.migrations.core.Migrations;
import ac.simons.neo4j.migrations.core.MigrationsConfig;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.neo4j.driver.Driver;

/**
 * Applies the versioned migrations of {@code db-migrations/} to PostgreSQL and Neo4j. Inside
 * Liberty, Flyway finds a classpath folder only through an empty {@code flyway.location} marker in
 * it; Flyway always scans {@code db/callback}, hence the marker there too.
 */
public final class Migrator {

    static final String POSTGRES_LOCATION = "classpath:db-migrations/postgres";
    static final String NEO4J_LOCATION = "classpath:db-migrations/neo4j";

    private Migrator() {
    }

    /** Returns the schema version PostgreSQL is at afterwards. */
    public static String migratePostgres(DataSource dataSource, ClassLoader loader) {
        Flyway flyway = Flyway.configure(loader)
                .dataSource(dataSource)
                .locations(POSTGRES_LOCATION)
                // Schemas that older versions shared with Liberty's timer tables are taken as they are.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                // A PostgreSQL that is down or slow while the application starts is waited for
                // (pauses growing from 1 s to 10 s, about 4 minutes in all), instead of failing the
                // start for good: the server would then never serve, even after PostgreSQL returned.
                .connectRetries(30)
                .connectRetriesInterval(10)
                .load();
        flyway.migrate();
        return flyway.info().current().getVersion().getVersion();
    }

    /** Returns the schema version Neo4j is at afterwards. */
    public static Optional<String> migrateNeo4j(Driver driver) {
        return new Migrations(MigrationsConfig.builder()
                .withLocationsToScan(NEO4J_LOCATION)
                .withAutocrlf(true)
                .build(), driver).apply().map(v -> v.getValue());
    }
}
