package io.coherence.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A graphql-transport-ws client for tests, on the JDK's WebSocket. Messages arrive in a queue the
 * test takes from with a deadline; the close code and reason complete {@link #closed()}. A paused
 * client stops reading, as a slow consumer would.
 */
public final class GraphQLWsClient implements AutoCloseable {

    public static final String PROTOCOL = "graphql-transport-ws";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public record Close(int code, String reason) {
    }

    private final LinkedBlockingQueue<JsonObject> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile boolean paused;
    private WebSocket socket;

    private GraphQLWsClient() {
    }

    public static GraphQLWsClient connect(URI uri, String... subprotocols) {
        GraphQLWsClient client = new GraphQLWsClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        try {
            client.socket = builder.buildAsync(uri, client.listener()).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                throw new IllegalStateException("handshake refused: " + h.getResponse().statusCode(), h);
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        return client;
    }

    /** Connects with the protocol, sends connection_init with the token and awaits connection_ack. */
    public static GraphQLWsClient ready(URI uri, String token) {
        GraphQLWsClient client = connect(uri, PROTOCOL);
        client.init(token);
        JsonObject ack = client.next(Duration.ofSeconds(10));
        if (!"connection_ack".equals(ack.getString("type"))) {
            throw new AssertionError("expected connection_ack, got " + ack);
        }
        return client;
    }

    public void init(String token) {
        send(Json.createObjectBuilder().add("type", "connection_init")
                .add("payload", Json.createObjectBuilder().add("Authorization", "Bearer " + token)).build().toString());
    }

    public void subscribe(String id, String documentFile, Map<String, Object> variables) {
        JsonObjectBuilder payload = Json.createObjectBuilder().add("query", GraphQLDocuments.load(documentFile))
                .add("variables", Json.createObjectBuilder(variables));
        send(Json.createObjectBuilder().add("id", id).add("type", "subscribe").add("payload", payload).build().toString());
    }

    public void complete(String id) {
        send(Json.createObjectBuilder().add("id", id).add("type", "complete").build().toString());
    }

    public void send(String text) {
        socket.sendText(text, true).join();
    }

    /**
     * Sends a ping and returns every message that arrived before its pong: the server answers in
     * order, so whatever it queued before the ping (events included) is in the list.
     */
    public List<JsonObject> drainUntilPong(Duration timeout) {
        send("{\"type\":\"ping\"}");
        List<JsonObject> before = new ArrayList<>();
        while (true) {
            JsonObject m = next(timeout);
            if ("pong".equals(m.getString("type"))) {
                return before;
            }
            before.add(m);
        }
    }

    /** The next message, or an AssertionError when none arrives in time. */
    public JsonObject next(Duration timeout) {
        try {
            JsonObject m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                throw new AssertionError("no message within " + timeout
                        + (closed.isDone() ? "; socket closed: " + closed.join() : ""));
            }
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Takes messages until one matches; returns it (the others are dropped). */
    public JsonObject await(Predicate<JsonObject> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching message within " + timeout);
            }
            JsonObject m = next(Duration.ofNanos(left));
            if (match.test(m)) {
                return m;
            }
        }
    }

    public Close awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the socket within " + timeout);
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public CompletableFuture<Close> closed() {
        return closed;
    }

    /** Stops reading from the socket (the messages already taken stay). */
    public void pause() {
        paused = true;
    }

    /** Reads again, everything the server managed to send. */
    public void resume() {
        paused = false;
        socket.request(Long.MAX_VALUE / 2);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    messages.add(Json.createReader(new java.io.StringReader(partial.toString())).readObject());
                    partial.setLength(0);
                }
                if (!paused) {
                    ws.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                closed.complete(new Close(code, reason));
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(new Close(-1, String.valueOf(error)));
            }
        };
    }
}
