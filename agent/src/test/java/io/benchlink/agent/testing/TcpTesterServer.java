package io.benchlink.agent.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A serial-over-TCP server like ser2net on 127.0.0.1: the agent connects, the test writes tester lines to it.
 * {@link #stop()} and {@link #start()} again on the same port is a restarted serial server.
 * Owned by the test thread; one accept thread per start.
 */
public final class TcpTesterServer implements AutoCloseable {
    private int port;
    private ServerSocket server;
    private volatile Socket client;

    /** Binds (port 0 the first time, the same port after a restart) and accepts one client at a time. */
    public TcpTesterServer start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = server.getLocalPort();
        ServerSocket mine = server;
        Thread accept = new Thread(() -> acceptLoop(mine), "test-tcp-tester-" + port);
        accept.setDaemon(true);
        accept.start();
        return this;
    }

    private void acceptLoop(ServerSocket mine) {
        while (!mine.isClosed()) {
            try {
                Socket next = mine.accept();
                Socket old = client;
                client = next;
                if (old != null) {
                    old.close();
                }
            } catch (IOException e) {
                return; // server closed
            }
        }
    }

    public int port() {
        return port;
    }

    public void awaitClient(Duration atMost) {
        await("agent connects to port " + port).atMost(atMost).until(() -> client != null && !client.isClosed());
    }

    public void writeLines(String... lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        OutputStream out = client.getOutputStream();
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Closes the listening socket and the client connection, like a serial server that restarts. */
    public void stop() throws IOException {
        server.close();
        Socket old = client;
        client = null;
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
