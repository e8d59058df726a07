package io.coherence.interfaces.websocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live connections of this replica (how many each tenant may hold is SubscriptionAdmission's). */
final class ConnectionRegistry {

    private final Set<Connection> live = ConcurrentHashMap.newKeySet();

    void opened(Connection connection) {
        live.add(connection);
    }

    void closed(Connection connection) {
        live.remove(connection);
    }

    Set<Connection> live() {
        return Set.copyOf(live);
    }
}
