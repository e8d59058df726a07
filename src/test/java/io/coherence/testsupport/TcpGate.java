package io.coherence.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP pass-through in front of a real engine that a test can cut, stall and restore: cut closes
 * every connection through it and refuses new ones (as a crashed engine would); stall keeps every
 * connection open and accepts new ones but forwards no byte either way (as a hung engine or a
 * black-holed network would); restore listens again on the same port and forwards again. Nothing
 * is faked; the bytes go to the real engine.
 */
public final class TcpGate implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private final Object flow = new Object();
    private boolean stalled;

    private TcpGate(InetSocketAddress target, int port) {
        this.target = target;
        this.port = port;
    }

    /** Opens a gate on a free loopback port in front of host:port. */
    public static TcpGate to(String host, int port) {
        TcpGate gate = new TcpGate(new InetSocketAddress(host, port), EmbeddedEngines.freePort());
        gate.restore();
        return gate;
    }

    public int port() {
        return port;
    }

    /** Closes every connection through the gate and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        ServerSocket s = server;
        server = null;
        quietly(s);
        for (Socket socket : open) {
            quietly(socket);
        }
        open.clear();
        // Bytes held by a stall die with their connections.
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
    }

    /** Holds every byte in both directions, on open and new connections, until {@link #restore()}. */
    public void stall() {
        synchronized (flow) {
            stalled = true;
        }
    }

    /** Accepts connections and forwards bytes again. */
    public synchronized void restore() {
        synchronized (flow) {
            stalled = false;
            flow.notifyAll();
        }
        if (server != null) {
            return;
        }
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread acceptor = new Thread(() -> accept(s), "tcp-gate-" + port);
            acceptor.setDaemon(true);
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                open.add(client);
                open.add(upstream);
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // closed by cut(), or the engine refused: the client sees its connection fail
            }
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitFlowing();
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                quietly(from);
                quietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "tcp-gate-pipe");
        t.setDaemon(true);
        t.start();
    }

    private void awaitFlowing() throws InterruptedException {
        synchronized (flow) {
            while (stalled) {
                flow.wait(100);
            }
        }
    }

    private static void quietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
