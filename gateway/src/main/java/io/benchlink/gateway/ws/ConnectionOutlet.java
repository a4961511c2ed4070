package io.benchlink.gateway.ws;

import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.subscribe.Outlet;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.server.WebSocketServer;

/**
 * A subscriber connection as an {@link Outlet}. Frames go straight onto the connection's out-queue as views of one
 * shared buffer: Java-WebSocket's own send would copy header and payload per connection and wake the selector per
 * frame. {@link #flushHere} then writes them to the socket on the calling thread when the socket takes them all,
 * and only otherwise hands the rest to the selector (issue 18: no thread hand-off and no OP_WRITE round between the
 * commit and the socket); {@link #flush} hands them to the selector, still without an OP_WRITE round. The backlog the hub bounds is counted here in messages (Java-WebSocket's queue itself is
 * unbounded).
 *
 * <p>Thread-safe: the writer and replay threads send under this object's lock; writing the out-queue to the socket
 * happens under the out-queue's monitor, which the patched selector's doWrite holds too (its change (4)).
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

    /**
     * Our items still in the connection's out-queue, oldest first, with how many messages each carries. The
     * queue is FIFO, so when it holds n items only our last n can still be there (library frames such as pings
     * make this an over-estimate, which errs on the safe side).
     */
    private final ArrayDeque<Integer> queued = new ArrayDeque<>();
    private int queuedMessages;

    @Override
    public synchronized int backlog() {
        trim();
        return queuedMessages;
    }

    @Override
    public synchronized void send(ByteBuffer frames, int messages) {
        trim();
        connection.outQueue.add(frames);
        queued.add(messages);
        queuedMessages += messages;
    }

    /** The selector writes it right after its next wake-up (the patched server's change (5)). */
    @Override
    public void flush() {
        server.writeSoon(connection);
    }

    @Override
    public void flushHere() {
        if (!writeHere()) {
            server.onWriteDemand(connection);
        }
    }

    /**
     * Writes the out-queue to the socket on this thread; true when it is empty afterwards. False (the selector takes
     * over) when the socket is full, fails, is not open, is TLS (its engine belongs to the selector thread), or when
     * this thread holds the connection's monitor (the lock order of the patched selector forbids taking the
     * out-queue's monitor then).
     */
    private boolean writeHere() {
        if (connection.getReadyState() != ReadyState.OPEN || Thread.holdsLock(connection)) {
            return false;
        }
        ByteChannel channel = connection.getChannel();
        if (!HandshakeGuard.isPlain(channel)) {
            return false;
        }
        synchronized (connection.outQueue) {
            try {
                ByteBuffer head;
                while ((head = connection.outQueue.peek()) != null) {
                    channel.write(head);
                    if (head.hasRemaining()) {
                        return false;
                    }
                    connection.outQueue.poll();
                }
                return true;
            } catch (IOException e) {
                return false; // the selector meets the same error on its write and closes the connection
            }
        }
    }

    private void trim() {
        int inQueue = connection.outQueue.size();
        while (queued.size() > inQueue) {
            queuedMessages -= queued.poll();
        }
    }

    @Override
    public void close(int code, String reason) {
        connection.close(code, CloseCodes.reason(reason));
        dropLater(connection, code, reason, scheduler);
    }

    /**
     * A close frame waits behind the backlog; a peer that never reads would hold it (and its heap) forever, so
     * after a grace period the TCP connection is dropped. Call after {@code close(code, reason)}.
     */
    static void dropLater(WebSocket connection, int code, String reason, ScheduledExecutorService scheduler) {
        String text = CloseCodes.reason(reason);
        scheduler.schedule(() -> {
            if (!connection.isClosed()) {
                connection.closeConnection(code, text);
            }
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
