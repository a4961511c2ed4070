package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.subscribe.TextFrames;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: a subscriber's frames are written to its socket by the thread that flushes them (the store writer), not
 * handed to the selector thread. Shown with the selector held inside a callback: the frame still arrives. Also the
 * way back: frames a socket does not take at once are left to the selector, in order, nothing lost.
 */
@Timeout(60)
class DirectWriteIT {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final CountDownLatch selectorHeld = new CountDownLatch(1);
    private final CountDownLatch releaseSelector = new CountDownLatch(1);
    private final List<WebSocketClient> clients = new CopyOnWriteArrayList<>();
    private HoldingServer server;

    @AfterEach
    void stop() throws Exception {
        releaseSelector.countDown();
        for (WebSocketClient client : clients) {
            client.closeBlocking();
        }
        if (server != null) {
            server.stop(2_000);
        }
        scheduler.shutdownNow();
    }

    @Test
    void aFlushedFrameReachesTheSubscriberWhileTheSelectorThreadIsBusy() throws Exception {
        server = startServer();
        Client subscriber = connect();
        Client other = connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.opened.size() == 2);
        ConnectionOutlet outlet = outletOf(subscriber);

        other.send("hold"); // the selector decodes it itself and stays in onMessage until released
        assertThat(selectorHeld.await(10, TimeUnit.SECONDS)).isTrue();
        outlet.send(TextFrames.encode("event 1"), 1);
        outlet.flushHere();

        assertThat(outlet.backlog()).as("written by the flushing thread").isZero();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(subscriber.received).containsExactly("event 1"));
    }

    @Test
    void aFrameHandedToTheSelectorGoesOutWithoutAWritableRound() throws Exception {
        server = startServer();
        Client subscriber = connect();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.opened.size() == 1);
        ConnectionOutlet outlet = outletOf(subscriber);
        int writableRoundsBefore = server.writableRounds.get();

        outlet.send(TextFrames.encode("event 1"), 1);
        outlet.flush();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(subscriber.received).containsExactly("event 1"));
        assertThat(server.writableRounds.get()).as("OP_WRITE rounds for it").isEqualTo(writableRoundsBefore);
    }

    @Test
    void framesTheSocketDoesNotTakeAtOnceAreWrittenLaterInOrder() throws Exception {
        server = startServer();
        try (Socket raw = new Socket("127.0.0.1", server.getPort())) {
            upgrade(raw);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.opened.size() == 1);
            ConnectionOutlet outlet = new ConnectionOutlet((WebSocketImpl) server.opened.get(0), server, scheduler);
            String big = "x".repeat(60_000);
            int frames = 200; // 12 MB while the client reads nothing: more than loopback's socket buffers hold
            boolean leftToSelector = false;
            for (int i = 0; i < frames; i++) {
                outlet.send(TextFrames.encode(i + " " + big), 1);
                outlet.flushHere();
                leftToSelector |= outlet.backlog() > 0;
            }
            assertThat(leftToSelector).as("the socket filled up, the selector took over").isTrue();

            DataInputStream in = new DataInputStream(raw.getInputStream());
            for (int i = 0; i < frames; i++) {
                assertThat(readText(in)).isEqualTo(i + " " + big);
            }
        }
    }

    static void upgrade(Socket raw) throws IOException {
        raw.setSoTimeout(20_000);
        raw.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = raw.getInputStream();
        int matched = 0; // read up to the blank line that ends the 101 response
        while (matched < 4) {
            int b = in.read();
            assertThat(b).as("handshake answer").isNotNegative();
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    /** One unmasked text frame from the server (RFC 6455 §5.2). */
    private static String readText(DataInputStream in) throws IOException {
        assertThat(in.readUnsignedByte()).isEqualTo(0x81);
        int first = in.readUnsignedByte();
        long length = first == 126 ? in.readUnsignedShort() : first == 127 ? in.readLong() : first;
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }

    private ConnectionOutlet outletOf(Client client) {
        WebSocket connection = server.opened.stream()
                .filter(c -> c.getRemoteSocketAddress().getPort() == client.getLocalSocketAddress().getPort())
                .findFirst().orElseThrow();
        return new ConnectionOutlet((WebSocketImpl) connection, server, scheduler);
    }

    private HoldingServer startServer() throws InterruptedException {
        HoldingServer started = new HoldingServer();
        started.setWebSocketFactory(new HandshakeGuard(new DefaultWebSocketServerFactory(), Duration.ofSeconds(10),
                null));
        started.setDecodeOnSelector(true);
        started.start();
        assertThat(started.started.await(10, TimeUnit.SECONDS)).isTrue();
        return started;
    }

    private Client connect() throws InterruptedException {
        Client client = new Client(server);
        assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        clients.add(client);
        return client;
    }

    private final class HoldingServer extends LoopbackServer {
        final List<WebSocket> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger writableRounds = new AtomicInteger();

        HoldingServer() {
            super(1);
            setConnectionLostTimeout(0);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            if (message.equals("hold")) {
                selectorHeld.countDown();
                try {
                    releaseSelector.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.add(conn);
        }

        /** Runs each time the selector drained an out-queue after a writable key (an OP_WRITE round). */
        @Override
        protected void afterOutQueueDrained(WebSocket conn) {
            writableRounds.incrementAndGet();
        }
    }

    private static final class Client extends LoopbackClient {
        final List<String> received = new CopyOnWriteArrayList<>();

        Client(LoopbackServer server) {
            super(server, "/");
        }

        @Override
        public void onMessage(String message) {
            received.add(message);
        }
    }
}
