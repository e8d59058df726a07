package io.coherence.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL 17 (zonky's binaries) as a separate server process on a free loopback port, its
 * cluster in {@code dir/data}, its log in {@code dir/postgres.log}, with the role and database
 * {@code coherence}.
 */
final class EmbeddedPostgreSql implements AutoCloseable {

    static final String DATABASE = "coherence";
    static final String USER = "coherence";
    static final String PASSWORD = "coherence";

    private final EmbeddedPostgres postgres;
    private final Path pidFile;

    private EmbeddedPostgreSql(EmbeddedPostgres postgres, Path pidFile) {
        this.postgres = postgres;
        this.pidFile = pidFile;
    }

    static Path pidFile(Path dir) {
        return dir.resolve("data").resolve("postmaster.pid");
    }

    static EmbeddedPostgreSql start(Path dir, String host, EngineData mode) {
        Path data = dir.resolve("data");
        boolean throwaway = mode == EngineData.THROWAWAY;
        if (throwaway) {
            // Scratch: a leftover directory from a killed run would make initdb fail.
            EmbeddedEngines.deleteRecursively(data);
        }
        EmbeddedEngines.createDirectories(dir);
        Redirect log = Redirect.appendTo(dir.resolve("postgres.log").toFile());
        // Kept data is written durably: zonky passes -F (fsync off) and synchronous_commit=off; these -c win.
        String durable = throwaway ? "off" : "on";
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    // false: an existing cluster (postgresql.conf present) is started as it is, not initdb'd again.
                    .setCleanDataDirectory(throwaway)
                    .setPort(EmbeddedEngines.freePort())
                    .setServerConfig("listen_addresses", host)
                    .setServerConfig("shared_buffers", "32MB")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("fsync", durable)
                    .setServerConfig("full_page_writes", durable)
                    .setServerConfig("synchronous_commit", durable)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log)
                    .start();
            // The role and the database, unless a previous run on kept data created them already.
            createDatabase(pg, DATABASE);
            return new EmbeddedPostgreSql(pg, pidFile(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Another database owned by the coherence role (created when missing), e.g. for a second server. */
    void createDatabase(String name) {
        createDatabase(postgres, name);
    }

    private static void createDatabase(EmbeddedPostgres pg, String name) {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            }
            if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                s.execute("CREATE DATABASE " + name + " OWNER " + USER);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + name, e);
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    int port() {
        return postgres.getPort();
    }

    /** The postmaster's process id, the first line of postmaster.pid. */
    long pid() {
        try {
            return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** pg_ctl stop -m fast: a checkpoint, then exit; the next start needs no recovery. */
    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
