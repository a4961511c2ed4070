package io.benchlink.gateway.ws;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import org.java_websocket.WebSocket;
import org.java_websocket.server.WebSocketServer;

/**
 * The patched {@link WebSocketServer} as the selector tests run it: on 127.0.0.1 and a free port, {@link #started}
 * open once it listens, and every callback a test does not watch doing nothing.
 */
abstract class LoopbackServer extends WebSocketServer {
    final CountDownLatch started = new CountDownLatch(1);

    LoopbackServer(int decoders) {
        super(new InetSocketAddress("127.0.0.1", 0), decoders);
        setReuseAddr(true);
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
    }
}
