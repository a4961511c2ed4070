package io.benchlink.gateway.subscribe;

import java.nio.ByteBuffer;

/**
 * One subscriber's connection as the hub needs it: queue a ready-made frame without blocking, see how many
 * frames are still queued (the backpressure signal), close with a contract code.
 */
public interface Outlet {
    boolean isOpen();

    /** Messages queued for this connection and not yet written to its socket. */
    int backlog();

    /**
     * Queues already encoded WebSocket frames ({@code messages} of them, back to back); the buffer is this
     * connection's own view. Nothing is written until {@link #flush()}.
     */
    void send(ByteBuffer frames, int messages);

    /** Asks the network thread to write what was queued. */
    void flush();

    /**
     * Writes what was queued on the calling thread, as far as the socket takes it at once, and leaves only the rest
     * to the network thread (issue 18: no hand-off between the commit and the socket). By default as {@link #flush}.
     */
    default void flushHere() {
        flush();
    }

    void close(int code, String reason);
}
