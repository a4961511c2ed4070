package io.benchlink.gateway.ws;

import io.benchlink.gateway.subscribe.Outlet;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.server.WebSocketServer;

/**
 * A subscriber connection as an {@link Outlet}. Frames go straight onto the connection's out-queue as duplicates
 * of one shared buffer: Java-WebSocket's own send would copy header and payload per connection. The queue's
 * size is the backlog the hub bounds (Java-WebSocket's queue itself is unbounded).
 */
final class ConnectionOutlet implements Outlet {
    /** How long a closed subscriber may take to read what is queued before its close frame. */
    static final long CLOSE_GRACE_MILLIS = 5_000;

    private final WebSocketImpl connection;
    private final WebSocketServer server;
    private final ScheduledExecutorService scheduler;

    ConnectionOutlet(WebSocketImpl connection, WebSocketServer server, ScheduledExecutorService scheduler) {
        this.connection = connection;
        this.server = server;
        this.scheduler = scheduler;
    }

    @Override
    public String toString() {
        return String.valueOf(connection.getRemoteSocketAddress());
    }

    @Override
    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public int backlog() {
        return connection.outQueue.size();
    }

    @Override
    public void send(ByteBuffer frame) {
        connection.outQueue.add(frame);
        server.onWriteDemand(connection);
    }

    @Override
    public void close(int code, String reason) {
        String text = CloseCodes.reason(reason);
        connection.close(code, text);
        // The close frame waits behind the backlog; a client that never reads would hold it (and its heap)
        // forever, so after a grace period the TCP connection is dropped.
        scheduler.schedule(() -> {
            if (!connection.isClosed()) {
                connection.closeConnection(code, text);
            }
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
