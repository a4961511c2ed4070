package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18, change (3) of the patched {@code WebSocketServer}: with decode-on-selector every frame is decoded and
 * handed to the listener on the selector thread (no hand-off to a worker thread), in the order it arrived.
 */
@Timeout(60)
class DecodeOnSelectorIT {
    private RecordingServer server;
    private WebSocketClient client;

    /** A server decoding on its selector and one connected client, which each test sends from. */
    @BeforeEach
    void start() throws Exception {
        server = new RecordingServer();
        server.setDecodeOnSelector(true);
        server.start();
        assertThat(server.started.await(10, TimeUnit.SECONDS)).isTrue();
        client = new LoopbackClient(server, "/");
        assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.release.countDown();
        }
        if (client != null) {
            client.closeBlocking();
        }
        if (server != null) {
            server.stop(2_000);
        }
    }

    @Test
    void framesAreDecodedOnTheSelectorThreadInArrivalOrder() throws Exception {
        int frames = 2_000;
        for (int i = 0; i < frames; i++) {
            client.send(Integer.toString(i));
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> server.messages.size() == frames);
        for (int i = 0; i < frames; i++) {
            assertThat(server.messages.get(i)).isEqualTo(Integer.toString(i));
        }
        assertThat(server.threads).as("threads that ran onMessage").hasSize(1)
                .allSatisfy(name -> assertThat(name).startsWith("WebSocketSelector-"));
    }

    @Test
    void whatWasQueuedForAPeerIsWrittenBeforeItsNextFramesAreDecoded() throws Exception {
        try (Socket peer = new Socket("127.0.0.1", server.getPort())) {
            DirectWriteIT.upgrade(peer);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.opened.size() == 2);
            WebSocketImpl peerConnection = (WebSocketImpl) server.opened.get(1);

            client.send("hold"); // the selector stays in onMessage until released
            assertThat(server.holding.await(10, TimeUnit.SECONDS)).isTrue();
            peerConnection.send("ack"); // queued for the peer: the selector will find its key writable
            peer.getOutputStream().write(maskedText("next")); // and, in the same round, readable
            server.release.countDown();

            await().atMost(Duration.ofSeconds(10)).until(() -> server.unwrittenAtNext.get() >= 0);
            assertThat(server.unwrittenAtNext.get()).as("frames still queued when the peer's frame was decoded")
                    .isZero();
        }
    }

    /** A client's text frame (RFC 6455 §5.2: masked, with a zero mask for simplicity). */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(payload, 0, frame, 6, payload.length);
        return frame;
    }

    private static final class RecordingServer extends LoopbackServer {
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<WebSocket> opened = new CopyOnWriteArrayList<>();
        final AtomicInteger unwrittenAtNext = new AtomicInteger(-1);
        final List<String> messages = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        RecordingServer() {
            super(2);
            setConnectionLostTimeout(0);
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            threads.add(Thread.currentThread().getName());
            messages.add(message);
            if (message.equals("hold")) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (message.equals("next")) {
                unwrittenAtNext.set(((WebSocketImpl) conn).outQueue.size());
            }
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            opened.add(conn);
        }
    }
}
