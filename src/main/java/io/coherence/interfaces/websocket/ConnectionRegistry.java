package io.coherence.interfaces.websocket;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live connections of this replica, and how many each tenant holds. */
final class ConnectionRegistry {

    private final Map<String, Integer> perTenant = new ConcurrentHashMap<>();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();

    void opened(Connection connection) {
        live.add(connection);
    }

    void closed(Connection connection) {
        live.remove(connection);
    }

    /** Counts one more connection for the tenant unless it already holds {@code max}. */
    boolean admit(String tenant, int max) {
        boolean[] admitted = {false};
        perTenant.compute(tenant, (t, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    void release(String tenant) {
        perTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    }

    Set<Connection> live() {
        return Set.copyOf(live);
    }
}
