package io.coherence.testsupport;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * A graphql-transport-ws subscriber on a bare socket with a small receive buffer, which stops
 * reading once its subscription is in place, like a client whose process froze: the server's
 * writes to it block as soon as the socket buffers are full. Closing it resets the connection.
 */
public final class NonReadingSubscriber implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The kernel doubles it; small, so a few frames fill what the client side holds. */
    private static final int RECEIVE_BUFFER = 4096;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private NonReadingSubscriber(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects, sends connection_init with the token, awaits the ack, subscribes with the document
     * and variables, and returns once a ping answered (the subscription is then live). From then on
     * nothing is read.
     */
    public static NonReadingSubscriber subscribe(URI uri, String token, String documentFile, Map<String, Object> variables) {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER);
            // Each message goes out at once, not after the ack of the previous one (Nagle).
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
            NonReadingSubscriber client = new NonReadingSubscriber(socket);
            client.handshake(uri);
            client.sendText(Json.createObjectBuilder().add("type", "connection_init")
                    .add("payload", Json.createObjectBuilder().add("Authorization", "Bearer " + token)).build().toString());
            client.expect("connection_ack");
            JsonObjectBuilder payload = Json.createObjectBuilder().add("query", GraphQLDocuments.load(documentFile))
                    .add("variables", Json.createObjectBuilder(variables));
            client.sendText(Json.createObjectBuilder().add("id", "stalled").add("type", "subscribe")
                    .add("payload", payload).build().toString());
            client.sendText("{\"type\":\"ping\"}");
            client.expect("pong");
            return client;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Resets the connection at once (no close handshake), as a crashed client's kernel would. */
    @Override
    public void close() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Closing anyway.
        }
        closeQuietly(socket);
    }

    private void handshake(URI uri) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + GraphQLWsClient.PROTOCOL + "\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new AssertionError("no WebSocket upgrade: " + head);
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("the server closed during the handshake: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads text frames until one of this type; fails on a close frame. */
    private void expect(String type) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int opcode = first & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
                throw new AssertionError("closed with " + code + " while waiting for " + type + ": "
                        + new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8));
            }
            if (opcode == 0x1) {
                JsonObject message = Json.createReader(new StringReader(new String(payload, StandardCharsets.UTF_8)))
                        .readObject();
                if (type.equals(message.getString("type"))) {
                    return;
                }
            }
        }
    }

    /** One masked text frame, as a client must send. */
    private void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length <= 0xFFFF) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift) & 0xFF);
            }
        }
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
