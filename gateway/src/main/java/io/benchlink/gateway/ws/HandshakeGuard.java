package io.benchlink.gateway.ws;

import io.benchlink.common.json.Json;
import io.benchlink.gateway.agents.AgentEndpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 7 limits on connections that have not yet proved they speak our protocol. Java-WebSocket never reaps a
 * socket that does not finish its handshake (docs/SECURITY.md, "What the suite found") and buffers an unterminated handshake without bound; this
 * factory wraps the library's own (plain or TLS) and adds:
 * <ul>
 * <li>a deadline: a socket that has not finished the WebSocket handshake (and, on {@code /ws/agents}, sent its
 * hello) within the handshake timeout of its TCP accept is closed by {@link #sweep};</li>
 * <li>a size bound: a handshake request larger than {@value #MAX_HANDSHAKE_BYTES} bytes closes the socket;</li>
 * <li>an honest refusal (issue 14.6): Java-WebSocket answers every refused handshake with 404 or 500; {@link #answer}
 * sends our own HTTP response instead (403 for a browser origin not allowed) and the channel drops the library's.</li>
 * </ul>
 * Installed with {@code server.setWebSocketFactory(...)} before start; {@link #sweep} runs on the gateway scheduler.
 *
 * <p>Threads: the selector thread adds to the pending queue (in {@link #wrapChannel}) and the scheduler removes from
 * it (in {@link #sweep}); the queue is concurrent. Each channel's byte count is owned by the selector thread.
 */
public final class HandshakeGuard implements WebSocketServerFactory {
    private static final Logger LOG = LoggerFactory.getLogger(HandshakeGuard.class);
    /** Larger than any real upgrade request (the path is capped at 2 KiB by {@link Route}); a few browser cookies fit. */
    public static final int MAX_HANDSHAKE_BYTES = 16 * 1024;

    private record Pending(WebSocketImpl connection, long acceptedNanos) {
    }

    private final WebSocketServerFactory inner;
    private final long timeoutNanos;
    private final Duration timeout;
    private final AgentEndpoint agents;
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();

    public HandshakeGuard(WebSocketServerFactory inner, Duration timeout, AgentEndpoint agents) {
        this.inner = inner;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.agents = agents;
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, Draft d) {
        return inner.createWebSocket(a, d);
    }

    @Override
    public WebSocketImpl createWebSocket(WebSocketAdapter a, List<Draft> drafts) {
        return inner.createWebSocket(a, drafts);
    }

    @Override
    public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) throws IOException {
        // Java-WebSocket registers the new connection as the key's attachment just before it calls us.
        WebSocketImpl connection = (WebSocketImpl) key.attachment();
        pending.add(new Pending(connection, System.nanoTime()));
        return new BoundedHandshakeChannel(inner.wrapChannel(channel, key), connection);
    }

    @Override
    public void close() {
        inner.close();
    }

    /**
     * Answers the handshake being refused on {@code connection} with {@code status} and a JSON
     * {@code {"error": reason}} body instead of the library's 404, then closes. Call from
     * {@code onWebsocketHandshakeReceivedAsServer} just before throwing its {@code InvalidDataException}: the
     * library then queues its own 404 and a flush-and-close; our response is already first in the out-queue, the
     * channel swallows everything after it and closes the connection once the response is written. Returns false (the library's 404 goes out) on a channel this
     * guard did not wrap.
     */
    static boolean answer(WebSocketImpl connection, int status, String phrase, String reason) {
        if (!(connection.getChannel() instanceof BoundedHandshakeChannel channel)) {
            return false;
        }
        byte[] body = (Json.GSON.toJson(Map.of("error", reason)) + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + phrase + "\r\nContent-Type: application/json; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        ByteBuffer response = ByteBuffer.allocate(head.length() + body.length);
        response.put(head.getBytes(StandardCharsets.US_ASCII)).put(body).flip();
        channel.only = response; // before queueing: the selector may write as soon as it is queued
        connection.outQueue.add(response);
        return true;
    }

    /**
     * True for a connection's channel that is a plain socket under this guard (no TLS): any thread may write to it
     * while holding the out-queue's monitor. A TLS channel's engine is driven by the selector thread only.
     */
    static boolean isPlain(ByteChannel channel) {
        return channel instanceof BoundedHandshakeChannel bounded && bounded.channel instanceof SocketChannel;
    }

    /** Connections accepted and not yet through their handshake (and hello); for tests and metrics. */
    public int pending() {
        return pending.size();
    }

    /** Closes every connection past its deadline; forgets those that made it. Cheap: one pass over the pending. */
    public void sweep() {
        long now = System.nanoTime();
        int handshakes = 0;
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            try {
                WebSocketImpl conn = p.connection();
                boolean late = now - p.acceptedNanos() > timeoutNanos;
                ReadyState state = conn.getReadyState();
                if (state == ReadyState.CLOSING || state == ReadyState.CLOSED) {
                    it.remove();
                } else if (state == ReadyState.NOT_YET_CONNECTED) {
                    if (late) {
                        it.remove();
                        handshakes++;
                        conn.closeConnection(CloseFrame.ABNORMAL_CLOSE, "no handshake within " + timeout.toSeconds() + " s");
                    }
                } else if (!awaitingHello(conn)) {
                    it.remove();
                } else if (late) {
                    it.remove();
                    agents.noHello(conn, "no hello within " + timeout.toSeconds() + " s");
                }
            } catch (RuntimeException e) {
                // One odd connection must not stop the sweep for the others; it is retried next time.
                LOG.debug("handshake sweep skipped a connection ({})", e.toString());
            }
        }
        if (handshakes > 0) {
            // One line per sweep, not per socket: a slowloris flood must not flood the log as well.
            LOG.warn("closed {} connections that did not finish the WebSocket handshake within {} s", handshakes,
                    timeout.toSeconds());
        }
    }

    private static boolean awaitingHello(WebSocketImpl conn) {
        Object attachment = conn.getAttachment();
        return attachment instanceof Peer peer && peer.route.kind() == Route.Kind.AGENTS && peer.agent == null;
    }

    /** Counts bytes read before the handshake completes; passes everything through unchanged otherwise. */
    private static final class BoundedHandshakeChannel implements WrappedByteChannel {
        private final ByteChannel channel;
        private final WebSocketImpl connection;
        private long handshakeBytes; // owned by the selector thread
        /** Set once the handshake is refused: the one response written; later writes (the library's 404) are dropped. */
        private volatile ByteBuffer only;

        BoundedHandshakeChannel(ByteChannel channel, WebSocketImpl connection) {
            this.channel = channel;
            this.connection = connection;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return count(channel.read(dst));
        }

        @Override
        public int readMore(ByteBuffer dst) throws IOException {
            return count(channel instanceof WrappedByteChannel w ? w.readMore(dst) : 0);
        }

        private int count(int read) throws IOException {
            if (read > 0 && connection.getReadyState() == ReadyState.NOT_YET_CONNECTED) {
                handshakeBytes += read;
                if (handshakeBytes > MAX_HANDSHAKE_BYTES) {
                    throw new IOException("handshake larger than " + MAX_HANDSHAKE_BYTES + " bytes");
                }
            }
            return read;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            ByteBuffer refusal = only;
            if (refusal != null && src != refusal) {
                int dropped = src.remaining();
                src.position(src.limit());
                return dropped;
            }
            int written = channel.write(src);
            closeOnceRefusalSent();
            return written;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }

        @Override
        public boolean isNeedWrite() {
            return channel instanceof WrappedByteChannel w && w.isNeedWrite();
        }

        @Override
        public void writeMore() throws IOException {
            if (channel instanceof WrappedByteChannel w) {
                w.writeMore();
                closeOnceRefusalSent();
            }
        }

        /**
         * Java-WebSocket never closes a refused server handshake itself (its draft is unset, so the flush-and-close
         * in batch() is skipped): without this the socket would wait for the sweep's deadline. With TLS the last
         * encrypted bytes may still be pending after the plain ones were taken; then writeMore() closes.
         */
        private void closeOnceRefusalSent() {
            ByteBuffer refusal = only;
            if (refusal != null && !refusal.hasRemaining() && !isNeedWrite()) {
                connection.closeConnection(CloseFrame.POLICY_VALIDATION, "handshake refused");
            }
        }

        @Override
        public boolean isNeedRead() {
            return channel instanceof WrappedByteChannel w && w.isNeedRead();
        }

        @Override
        public boolean isBlocking() {
            if (channel instanceof SocketChannel s) {
                return s.isBlocking();
            }
            return channel instanceof WrappedByteChannel w && w.isBlocking();
        }
    }
}
