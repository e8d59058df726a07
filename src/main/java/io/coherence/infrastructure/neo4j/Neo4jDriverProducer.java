package io.coherence.infrastructure.neo4j;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;

/** The one Neo4j driver of the application (it pools connections itself). */
@ApplicationScoped
public class Neo4jDriverProducer {

    @Inject
    @ConfigProperty(name = "NEO4J_URI")
    String uri;

    @Inject
    @ConfigProperty(name = "NEO4J_USER")
    String user;

    @Inject
    @ConfigProperty(name = "NEO4J_PASSWORD", defaultValue = "")
    String password;

    @Inject
    @ConfigProperty(name = "NEO4J_MAX_POOL")
    int maxPool;

    @Produces
    @ApplicationScoped
    public Driver driver() {
        Config config = Config.builder()
                .withMaxConnectionPoolSize(maxPool)
                .withConnectionAcquisitionTimeout(5, TimeUnit.SECONDS)
                .withConnectionTimeout(5, TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(10, TimeUnit.SECONDS)
                .withLogging(Logging.javaUtilLogging(java.util.logging.Level.WARNING))
                .build();
        return GraphDatabase.driver(uri, AuthTokens.basic(user, password), config);
    }

    public void close(@Disposes Driver driver) {
        driver.close();
    }
}
