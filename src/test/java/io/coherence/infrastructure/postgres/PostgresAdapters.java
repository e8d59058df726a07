package io.coherence.infrastructure.postgres;

import javax.sql.DataSource;

/** The PostgreSQL adapters wired to a data source outside the container, for tests in other packages. */
public final class PostgresAdapters {

    private PostgresAdapters() {
    }

    public static PostgresScoreRepository scoreRepository(DataSource dataSource) {
        PostgresScoreRepository repository = new PostgresScoreRepository();
        repository.dataSource = dataSource;
        return repository;
    }

    public static PostgresAdvisoryLock advisoryLock(DataSource dataSource) {
        PostgresAdvisoryLock lock = new PostgresAdvisoryLock();
        lock.dataSource = dataSource;
        return lock;
    }
}
