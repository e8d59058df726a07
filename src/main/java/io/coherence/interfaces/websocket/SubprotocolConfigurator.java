package io.coherence.interfaces.websocket;

import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Accepts the handshake and agrees on {@code graphql-transport-ws} when the client offers it;
 * otherwise agrees on none, and the endpoint then closes the socket with 4406 (as graphql-ws
 * servers do), so clients see a close code rather than a failed handshake.
 */
public class SubprotocolConfigurator extends ServerEndpointConfig.Configurator {

    static final String PROTOCOL = "graphql-transport-ws";

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested.contains(PROTOCOL) ? PROTOCOL : "";
    }
}
