package io.coherence.infrastructure.postgres;

import io.coherence.application.StoreProbe;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** PostgreSQL is up when a pooled connection answers within two seconds. */
@ApplicationScoped
public class PostgresProbe implements StoreProbe {

    @Resource(lookup = "jdbc/coherence")
    DataSource dataSource;

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public String state() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2) ? "UP" : "DOWN";
        } catch (SQLException | RuntimeException e) {
            return "DOWN";
        }
    }
}
