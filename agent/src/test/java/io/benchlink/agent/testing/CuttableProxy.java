package io.benchlink.agent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy the test controls: it listens on 127.0.0.1 port 0 and forwards each connection to the
 * current target port. {@link #cut()} is a network blip (every open pair is closed at once, both ways);
 * {@link #retarget} follows a restarted gateway to its new port.
 *
 * <p>Threads: one acceptor and two pumps per pair, all daemons named {@code test-proxy-*}; the pair list is
 * concurrent, the target volatile.
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Set<Socket> upstreams = ConcurrentHashMap.newKeySet();
    private final Set<Socket> muted = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private volatile int targetPort;
    private volatile boolean closed;

    public CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void retarget(int port) {
        targetPort = port;
    }

    /** Closes every open pair; new connections are forwarded as before. Returns how many sockets were closed. */
    public int cut() {
        int n = 0;
        for (Socket socket : open) {
            closeQuietly(socket);
            n++;
        }
        open.clear();
        return n;
    }

    /**
     * From now on the pairs open now forward nothing from the target back to the client (it is read and dropped):
     * the gateway still receives and stores, the agent hears no ack. Later connections are not muted. Returns how
     * many links are muted.
     */
    public int muteReplies() {
        muted.addAll(upstreams);
        return muted.size();
    }

    public long accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                connect(client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            } catch (Throwable t) {
                // one bad connection must not stop the proxy
                if (closed) {
                    return;
                }
            }
        }
    }

    private void connect(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
        } catch (IOException e) {
            // target down (gateway restarting): the client sees its connection closed, as with a refused connect
            closeQuietly(client);
            closeQuietly(upstream);
            return;
        }
        open.add(client);
        open.add(upstream);
        upstreams.add(upstream);
        pump(client, upstream, "up");
        pump(upstream, client, "down");
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!muted.contains(from)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // cut or peer gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
                upstreams.remove(from);
                muted.remove(from);
            }
        }, "test-proxy-" + direction);
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        cut();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
