package io.coherence.faults;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Listens on the service's Redis pub/sub channel, straight on the Redis engine (not through the
 * gate the service uses), as another replica would, and records each signal event of the watched
 * tenants on the timeline: how the event bridge fares through a fault. Speaks just enough RESP
 * for SUBSCRIBE.
 */
final class BridgeListener implements AutoCloseable {

    static final String CHANNEL = "coherence:events";

    private final Socket socket;
    private final Set<String> tenants;
    private final Timeline timeline;
    private final Thread reader;

    BridgeListener(String redisUrl, Set<String> tenants, Timeline timeline) throws IOException {
        URI uri = URI.create(redisUrl);
        this.socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        this.tenants = Set.copyOf(tenants);
        this.timeline = timeline;
        OutputStream out = socket.getOutputStream();
        out.write(("*2\r\n$9\r\nSUBSCRIBE\r\n$" + CHANNEL.length() + "\r\n" + CHANNEL + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        this.reader = new Thread(() -> read(in), "fault-bridge-listener");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(InputStream in) {
        try {
            while (!socket.isClosed()) {
                Object reply = Resp.read(in);
                if (reply instanceof Object[] parts && parts.length == 3 && "message".equals(parts[0])
                        && parts[2] instanceof String payload) {
                    record(payload);
                }
            }
        } catch (IOException | RuntimeException e) {
            // closed at the end of the fault, or Redis went away: nothing more to record
        }
    }

    private void record(String payload) {
        JsonObject message = Json.createReader(new StringReader(payload)).readObject();
        for (JsonValue v : message.getJsonArray("events")) {
            JsonObject event = v.asJsonObject();
            if ("signal".equals(event.getString("kind", "")) && tenants.contains(event.getString("tenantId", ""))) {
                timeline.record(Timeline.Kind.BRIDGE, Timeline.Outcome.OK, null);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** The RESP2 replies SUBSCRIBE produces: arrays of bulk strings and integers. */
    static final class Resp {

        private Resp() {
        }

        static Object read(InputStream in) throws IOException {
            int type = in.read();
            if (type < 0) {
                throw new IOException("closed");
            }
            String line = line(in);
            return switch (type) {
                case '*' -> {
                    int n = Integer.parseInt(line);
                    Object[] items = new Object[Math.max(n, 0)];
                    for (int i = 0; i < n; i++) {
                        items[i] = read(in);
                    }
                    yield items;
                }
                case '$' -> {
                    int n = Integer.parseInt(line);
                    if (n < 0) {
                        yield null;
                    }
                    byte[] data = in.readNBytes(n);
                    line(in);
                    yield new String(data, StandardCharsets.UTF_8);
                }
                case ':' -> Long.parseLong(line);
                case '+', '-' -> line;
                default -> throw new IOException("unexpected RESP type " + (char) type);
            };
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\r') {
                if (c < 0) {
                    throw new IOException("closed");
                }
                buffer.write(c);
            }
            in.read();
            return buffer.toString(StandardCharsets.UTF_8);
        }
    }
}
