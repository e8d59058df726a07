package io.coherence.testsupport;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Lowers the test server's per-tenant request rate to 1/s with a small burst, as an operator
 * would (a configDropins file), and waits until it applies; closing restores the stack's limit
 * and waits for that too. Waiting probes with throwaway tenants, so no caller's budget is spent.
 */
public final class LoweredTenantRate implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final CoherenceClient api;
    private final ServerVariables variables;

    private LoweredTenantRate(CoherenceClient api, ServerVariables variables) {
        this.api = api;
        this.variables = variables;
    }

    public static LoweredTenantRate to(CoherenceClient api, int burst) {
        ServerVariables variables = ServerVariables.set("rate-tenant",
                Map.of("COHERENCE_TENANT_RPS", "1", "COHERENCE_TENANT_BURST", Integer.toString(burst)));
        LoweredTenantRate lowered = new LoweredTenantRate(api, variables);
        Eventually.await("the tenant limit is 1/s, burst " + burst, WAIT, () -> lowered.probeRefusedAfter(burst));
        return lowered;
    }

    private int read(String tenant, String token) {
        return api.graphqlRaw("k6-read.graphql", Map.of("t", tenant), token).statusCode();
    }

    private boolean probeRefusedAfter(int burst) {
        String probe = "probe-" + UUID.randomUUID();
        String token = api.token(probe, CoherenceClient.READ_WRITE);
        for (int i = 0; i < burst; i++) {
            if (read(probe, token) != 200) {
                return false;
            }
        }
        return read(probe, token) == 429;
    }

    @Override
    public void close() {
        variables.close();
        Eventually.await("the tenant limit is back", WAIT, () -> {
            String probe = "probe-" + UUID.randomUUID();
            String token = api.token(probe, CoherenceClient.READ_WRITE);
            return IntStream.range(0, 8).allMatch(i -> read(probe, token) == 200);
        });
    }
}
