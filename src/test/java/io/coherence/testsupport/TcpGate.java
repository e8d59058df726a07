package io.coherence.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP pass-through in front of a real engine that a test can cut, stall and restore: cut closes
 * every connection through it and refuses new ones (as a crashed engine would); stall keeps every
 * connection open and accepts new ones but forwards no byte either way (as a hung engine or a
 * black-holed network would); restore listens again on the same port and forwards again. A gate
 * can also hold the replies once the client sent given bytes (a request reaches the engine, its
 * answer does not: a lost acknowledgement). Nothing is faked; the bytes go to the real engine.
 */
public final class TcpGate implements AutoCloseable {

    private final InetSocketAddress target;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private Thread acceptor;
    private final Object flow = new Object();
    private boolean stalled;
    private boolean repliesHeld;
    private volatile byte[] holdRepliesAfter;

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
        // The listening socket is released only when the thread blocked in accept() leaves it; a
        // restore() right after would otherwise find the port still taken.
        if (acceptor != null) {
            try {
                acceptor.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            acceptor = null;
        }
        for (Socket socket : open) {
            quietly(socket);
        }
        open.clear();
        // Bytes held by a stall die with their connections.
        synchronized (flow) {
            stalled = false;
            repliesHeld = false;
            flow.notifyAll();
        }
    }

    /**
     * Once a client sends {@code request} (found within what it sends, once), that request still
     * reaches the engine but no reply of any connection passes until {@link #cut()} or
     * {@link #restore()}: the engine did the work, the client never hears of it.
     */
    public void holdRepliesAfter(byte[] request) {
        holdRepliesAfter = request.clone();
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
            repliesHeld = false;
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
            acceptor = new Thread(() -> accept(s), "tcp-gate-" + port);
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
                pipe(client, upstream, true);
                pipe(upstream, client, false);
            } catch (IOException e) {
                // closed by cut(), or the engine refused: the client sees its connection fail
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            byte[] recent = new byte[0];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (request) {
                        recent = watchForHoldTrigger(recent, buffer, n);
                    }
                    awaitFlowing(!request);
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

    /**
     * Holds the replies when what the client sent (with the tail of its previous read, so a request
     * split across reads is found too) contains the armed bytes. Returns the tail to keep.
     */
    private byte[] watchForHoldTrigger(byte[] recent, byte[] buffer, int n) {
        byte[] trigger = holdRepliesAfter;
        if (trigger == null) {
            return recent;
        }
        byte[] seen = new byte[recent.length + n];
        System.arraycopy(recent, 0, seen, 0, recent.length);
        System.arraycopy(buffer, 0, seen, recent.length, n);
        if (indexOf(seen, trigger) >= 0) {
            synchronized (flow) {
                holdRepliesAfter = null;
                repliesHeld = true;
            }
            return new byte[0];
        }
        int keep = Math.min(seen.length, trigger.length - 1);
        return Arrays.copyOfRange(seen, seen.length - keep, seen.length);
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void awaitFlowing(boolean reply) throws InterruptedException {
        synchronized (flow) {
            while (stalled || (reply && repliesHeld)) {
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
