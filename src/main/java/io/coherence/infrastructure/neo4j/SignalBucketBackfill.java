package io.coherence.infrastructure.neo4j;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import org.neo4j.driver.Driver;

/**
 * Builds the signal buckets of tenants that miss some ({@link SignalBuckets#backfill}) when the
 * application starts, after the schema migrations (V0004 makes the buckets' constraint). A start
 * step, not a migration: it runs at every start, so it also catches signals an older release wrote
 * during a rolling upgrade after the migration ran, and it locks one tenant at a time instead of
 * rewriting the whole graph in one transaction. Until it is done, such a tenant's window is read
 * from its signals, so scores are right meanwhile.
 */
@Singleton
@Startup
@DependsOn("SchemaMigrations")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class SignalBucketBackfill {

    @Inject
    Driver driver;

    @PostConstruct
    void backfill() {
        SignalBuckets.backfill(driver);
    }
}
