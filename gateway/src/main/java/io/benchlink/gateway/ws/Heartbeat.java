package io.benchlink.gateway.ws;

import java.time.Duration;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PROTOCOL.md §2 liveness: a protocol ping to every connection each interval, and a connection silent (no frame,
 * no pong) for longer than the idle timeout is dropped. Runs on the gateway's scheduler; one pass is cheap.
 */
public final class Heartbeat implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final GatewaySocketServer server;
    private final long idleNanos;

    public Heartbeat(GatewaySocketServer server, Duration idleTimeout) {
        this.server = server;
        this.idleNanos = idleTimeout.toNanos();
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        for (WebSocket conn : server.getConnections()) {
            try {
                Peer peer = conn.getAttachment();
                if (peer != null && now - peer.lastSeenNanos > idleNanos) {
                    LOG.info("{} - silent for too long, dropping", conn.getRemoteSocketAddress());
                    conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "idle timeout");
                } else if (conn.isOpen()) {
                    conn.sendPing();
                }
            } catch (RuntimeException e) {
                // One broken connection must not stop the heartbeat for the others.
                LOG.debug("heartbeat skipped a connection ({})", e.toString());
            }
        }
    }
}
