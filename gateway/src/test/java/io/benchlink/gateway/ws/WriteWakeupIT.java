package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14.8, the replay stall, made deterministic: the selector thread is held in the window between draining a
 * connection's out-queue and clearing its {@code OP_WRITE} while another thread queues one more frame. Java-WebSocket
 * 1.6.0 then cleared the write interest that frame had just set, so it sat in the queue until the next write on the
 * connection (here: never; in the gateway: the next event or the ping 20 s later).
 */
@Timeout(30)
class WriteWakeupIT {
    private WindowServer server;
    private WebSocketClient client;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.closeBlocking();
        }
        if (server != null) {
            server.stop(2_000);
        }
    }

    @Test
    void aFrameQueuedWhileTheSelectorClearsWriteInterestIsStillWritten() throws Exception {
        server = new WindowServer();
        server.start();
        assertThat(server.started.await(10, TimeUnit.SECONDS)).isTrue();
        List<String> received = new CopyOnWriteArrayList<>();
        client = new LoopbackClient(server, "/") {
            @Override
            public void onMessage(String message) {
                received.add(message);
            }
        };
        assertThat(client.connectBlocking(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connection != null);

        server.armed.set(true);
        server.connection.send("first");

        assertThat(server.queuedInWindow.await(10, TimeUnit.SECONDS)).as("the window was hit").isTrue();
        // without the fix the frame never leaves (no pings here), so a bound a loaded machine cannot miss is as good
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(received).as("frames delivered").containsExactly("first", "queued in the window"));
    }

    /** A server whose selector, once armed, lets another thread queue a frame inside the window, then goes on. */
    private static final class WindowServer extends LoopbackServer {
        final CountDownLatch queuedInWindow = new CountDownLatch(1);
        final AtomicBoolean armed = new AtomicBoolean();
        volatile WebSocket connection;

        WindowServer() {
            super(1);
            setConnectionLostTimeout(0); // no pings: they would write to the connection and hide a lost wake-up
        }

        @Override
        protected void afterOutQueueDrained(WebSocket conn) {
            if (conn == connection && armed.compareAndSet(true, false)) {
                // Exactly what ConnectionOutlet does from the writer or replay thread: queue, then onWriteDemand.
                Thread other = new Thread(() -> conn.send("queued in the window"), "test-writer");
                other.start();
                try {
                    other.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                queuedInWindow.countDown();
            }
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            connection = conn;
        }
    }
}
