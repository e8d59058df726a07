package io.coherence.infrastructure.neo4j;

import io.coherence.application.StoreProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.neo4j.driver.Driver;

/** Neo4j is up when the driver can reach a server. */
@ApplicationScoped
public class Neo4jProbe implements StoreProbe {

    @Inject
    Driver driver;

    @Override
    public String name() {
        return "neo4j";
    }

    @Override
    public String state() {
        try {
            driver.verifyConnectivity();
            return "UP";
        } catch (RuntimeException e) {
            return "DOWN";
        }
    }
}
