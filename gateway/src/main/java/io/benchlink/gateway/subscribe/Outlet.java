package io.benchlink.gateway.subscribe;

import java.nio.ByteBuffer;

/**
 * One subscriber's connection as the hub needs it: queue a ready-made frame without blocking, see how many
 * frames are still queued (the backpressure signal), close with a contract code.
 */
public interface Outlet {
    boolean isOpen();

    /** Frames queued for this connection and not yet written to its socket. */
    int backlog();

    /** Queues an already encoded WebSocket frame; the buffer is this connection's own (a duplicate). */
    void send(ByteBuffer frame);

    void close(int code, String reason);
}
