package io.coherence.infrastructure.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;

/** One update statement on a pooled connection, its failure turned into the adapter's own refusal. */
final class SqlUpdate {

    /** Sets a statement's parameters. */
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private SqlUpdate() {
    }

    /** The number of rows the statement changed. */
    static int run(DataSource dataSource, String sql, Binder binder, Function<SQLException, RuntimeException> failure) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure.apply(e);
        }
    }
}
