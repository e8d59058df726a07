package io.coherence.infrastructure.migrations;

import ac.simons.neo4j.migrations.core.Migrations;
import ac.simons.neo4j.migrations.core.MigrationsConfig;
import ac.simons.neo4j.migrations.core.MigrationsException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;
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
    /** How long a start waits for another replica's Neo4j migration to let go of its lock. */
    static final Duration NEO4J_LOCK_WAIT = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(Migrator.class.getName());

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

    /**
     * Returns the schema version Neo4j is at afterwards. neo4j-migrations takes its lock even when
     * there is nothing to apply, and refuses at once while another holds it (Flyway waits), so
     * replicas starting together would fail every start but one: a start waits for the lock instead,
     * pausing up to a second between tries, for at most {@link #NEO4J_LOCK_WAIT} (a lock left by a
     * migration that crashed then still fails the start, as before).
     */
    public static Optional<String> migrateNeo4j(Driver driver) {
        long deadline = System.nanoTime() + NEO4J_LOCK_WAIT.toNanos();
        long pauseMillis = 50;
        while (true) {
            try {
                return applyNeo4j(driver);
            } catch (MigrationsException e) {
                if (!lockedByAnother(e) || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LOG.fine(() -> "another replica migrates Neo4j; waiting for its lock");
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
                pauseMillis = Math.min(pauseMillis * 2, 1000);
            }
        }
    }

    static boolean lockedByAnother(MigrationsException e) {
        return String.valueOf(e.getMessage()).contains("__Neo4jMigrationsLock");
    }

    private static Optional<String> applyNeo4j(Driver driver) {
        return new Migrations(MigrationsConfig.builder()
                .withLocationsToScan(NEO4J_LOCATION)
                .withAutocrlf(true)
                .build(), driver).apply().map(v -> v.getValue());
    }
}
