package io.coherence.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An outside-in test of the Liberty test server: Arquillian runs it against the server that
 * {@link LibertyStackListener} configured, with the built WAR deployed once for every such class
 * ({@link SharedWarDeployment}); after each test the gates to Neo4j and PostgreSQL are open again
 * ({@link TestServerExtension}). A class that needs the application deployed on its own terms
 * declares its own {@code @Deployment} instead (see {@code KafkaRedeliveryIT}).
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ArquillianExtension.class)
@ExtendWith(TestServerExtension.class)
public @interface TestServerIT {
}
