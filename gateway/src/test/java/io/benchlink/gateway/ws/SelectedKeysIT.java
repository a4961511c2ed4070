package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketAdapter;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketServerFactory;
import org.java_websocket.WrappedByteChannel;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Guards the one-line patch in our copy of Java-WebSocket's {@code WebSocketServer}: a write to one connection must
 * not make the selector thread visit every other connection that was ever written to. Upstream 1.6.0 left
 * write-only keys in the selected-key set, so each wake-up called the write path of all of them; the write path
 * asks the wrapped channel {@code isNeedWrite()} whenever it finds nothing queued, which is what is counted here.
 */
@Timeout(60)
class SelectedKeysIT {
    private static final int CONNECTIONS = 20;

    private final Map<WebSocket, AtomicInteger> idleWriteChecks = new ConcurrentHashMap<>();
    private final List<WebSocket> opened = new CopyOnWriteArrayList<>();
    private CountingServer server;
    private final List<WebSocketClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (WebSocketClient client : clients) {
            client.closeBlocking();
        }
        if (server != null) {
            server.stop(2_000);
        }
    }

    @Test
    void writingToOneConnectionDoesNotVisitTheOthers() throws Exception {
        server = new CountingServer();
        server.setWebSocketFactory(new CountingFactory());
        server.start();
        assertThat(server.started.await(10, TimeUnit.SECONDS)).isTrue();

        List<AtomicInteger> received = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
            AtomicInteger count = new AtomicInteger();
            received.add(count);
            WebSocketClient client = new CountingClient(server, count);
            assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
            clients.add(client);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> opened.size() == CONNECTIONS);
        // every connection has now been written to (its handshake answer and one message)
        for (WebSocket connection : opened) {
            connection.send("hello");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.stream().allMatch(c -> c.get() == 1));
        Thread.sleep(200);
        WebSocket first = opened.get(0);
        Map<WebSocket, Integer> before = new ConcurrentHashMap<>();
        idleWriteChecks.forEach((connection, count) -> before.put(connection, count.get()));

        AtomicInteger firstReceived = received.get(clients.indexOf(clientOf(first)));
        for (int i = 1; i <= 5; i++) {
            first.send("only you " + i);
            int target = 1 + i;
            await().atMost(Duration.ofSeconds(10)).until(() -> firstReceived.get() == target);
        }
        Thread.sleep(200);

        for (WebSocket other : opened.subList(1, opened.size())) {
            assertThat(idleWriteChecks.get(other).get())
                    .as("write-path visits of a connection that had nothing to send")
                    .isEqualTo(before.get(other));
        }
    }

    /** The client whose local port is the server connection's remote port. */
    private WebSocketClient clientOf(WebSocket connection) {
        int port = connection.getRemoteSocketAddress().getPort();
        return clients.stream().filter(c -> c.getLocalSocketAddress().getPort() == port).findFirst().orElseThrow();
    }

    private final class CountingServer extends LoopbackServer {
        CountingServer() {
            super(1);
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.add(conn);
        }
    }

    private final class CountingFactory implements WebSocketServerFactory {
        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, Draft draft) {
            return new WebSocketImpl(adapter, draft);
        }

        @Override
        public WebSocketImpl createWebSocket(WebSocketAdapter adapter, List<Draft> drafts) {
            return new WebSocketImpl(adapter, drafts);
        }

        @Override
        public ByteChannel wrapChannel(SocketChannel channel, SelectionKey key) {
            AtomicInteger count = new AtomicInteger();
            idleWriteChecks.put((WebSocket) key.attachment(), count);
            return new CountingChannel(channel, count);
        }

        @Override
        public void close() {
        }
    }

    private record CountingChannel(SocketChannel channel, AtomicInteger idleWriteChecks)
            implements WrappedByteChannel {
        @Override
        public boolean isNeedWrite() {
            idleWriteChecks.incrementAndGet();
            return false;
        }

        @Override
        public void writeMore() {
        }

        @Override
        public boolean isNeedRead() {
            return false;
        }

        @Override
        public int readMore(ByteBuffer dst) {
            return 0;
        }

        @Override
        public boolean isBlocking() {
            return channel.isBlocking();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final class CountingClient extends LoopbackClient {
        private final AtomicInteger received;

        CountingClient(LoopbackServer server, AtomicInteger received) {
            super(server, "/");
            this.received = received;
        }

        @Override
        public void onMessage(String message) {
            received.incrementAndGet();
        }
    }
}
