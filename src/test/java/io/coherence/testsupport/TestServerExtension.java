package io.coherence.testsupport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit side of {@link TestServerIT}: a {@link CoherenceClient} for the test server wherever a
 * test asks for one as a parameter, and, after every test, the TCP gates between the server and
 * Neo4j/PostgreSQL open again, so that a test that cut a store never leaves it cut for the next
 * test or class (they share one deployment).
 */
public final class TestServerExtension implements ParameterResolver, AfterEachCallback {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CoherenceClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return CoherenceClient.forTestServer();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (TcpGate gate : new TcpGate[] {LibertyStackListener.neo4jGate(), LibertyStackListener.postgresGate()}) {
            if (gate != null) {
                gate.restore();
            }
        }
    }
}
