package io.coherence.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Raises the test server's WebSocket connections per tenant, as an operator would (a configDropins
 * variable, read for each new connection), and waits until it applies; closing restores the
 * stack's limit and waits for that too. Waiting probes with throwaway tenants.
 */
public final class RaisedConnectionLimit implements AutoCloseable {

    private static final String SETTING = "COHERENCE_WS_MAX_CONNECTIONS_PER_TENANT";
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CoherenceClient api;
    private final ServerVariables variables;
    private final int stackLimit = Integer.parseInt(LibertyStackListener.SUBSCRIPTION_LIMITS.get(SETTING));

    private RaisedConnectionLimit(CoherenceClient api, ServerVariables variables) {
        this.api = api;
        this.variables = variables;
    }

    public static RaisedConnectionLimit to(CoherenceClient api, int limit) {
        RaisedConnectionLimit raised = new RaisedConnectionLimit(api,
                ServerVariables.set("ws-connections", Map.of(SETTING, Integer.toString(limit))));
        Eventually.await("a tenant may hold " + limit + " connections", WAIT, () -> raised.admits(raised.stackLimit + 1));
        return raised;
    }

    @Override
    public void close() {
        variables.close();
        Eventually.await("the connection limit is back at " + stackLimit, WAIT, () -> !admits(stackLimit + 1));
    }

    /** Whether a fresh tenant is admitted with {@code n} connections at once. */
    private boolean admits(int n) {
        String probe = "probe-" + UUID.randomUUID();
        String token = api.token(probe, CoherenceClient.READ_WRITE);
        List<NonReadingSubscriber> open = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                open.add(NonReadingSubscriber.subscribe(api.subscriptions(), token, "subscribe-signals.graphql",
                        Map.of("t", probe)));
            }
            return true;
        } catch (AssertionError refused) {
            if (refused.getMessage().contains("closed with 1013")) {
                return false;
            }
            throw refused;
        } finally {
            open.forEach(NonReadingSubscriber::close);
        }
    }
}
