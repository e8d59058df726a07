package io.coherence.testsupport;

import java.nio.file.Path;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Neo4j in this JVM with its Bolt connector on a free loopback port, its store under a directory
 * of our choosing. Not neo4j-harness's in-process builder: that one always makes a fresh random
 * subdirectory and deletes it on close, so it cannot open yesterday's store.
 */
final class EmbeddedNeo4j implements AutoCloseable {

    private final DatabaseManagementService dbms;
    private final int boltPort;

    private EmbeddedNeo4j(DatabaseManagementService dbms, int boltPort) {
        this.dbms = dbms;
        this.boltPort = boltPort;
    }

    /** Opens the store in {@code home} (data/, logs/), creating it the first time. */
    static EmbeddedNeo4j start(Path home, String host) {
        int port = EmbeddedEngines.freePort();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                // The data is small; preallocating transaction logs only costs disk and time.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // Netty otherwise idles 5 s per event loop group on shutdown, twice.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        return new EmbeddedNeo4j(dbms, port);
    }

    int boltPort() {
        return boltPort;
    }

    /** A clean shutdown: the next start needs no recovery. */
    @Override
    public void close() {
        dbms.shutdown();
    }
}
