package io.benchlink.agent.e2e;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * A 1C-like subscriber on {@code /ws/devices/all} that resumes with {@code since=} the last seq it processed after
 * every disconnect (PROTOCOL.md §2), against whatever port the gateway has now. It records every event and every seq
 * that did not rise, so the test can say exactly what went wrong.
 *
 * <p>Threads: one loop thread {@code test-subscriber} owns the connection; messages arrive on that connection's
 * client thread, one connection at a time, so {@link #lastSeq} has one writer at any moment.
 */
final class ResumingSubscriber implements AutoCloseable {
    private final IntSupplier port;
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final List<Long> openings = new CopyOnWriteArrayList<>();
    private final List<String> disorder = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile long lastSeq;
    private volatile Client current;

    ResumingSubscriber(IntSupplier port) {
        this.port = port;
        this.thread = new Thread(this::run, "test-subscriber");
        thread.setDaemon(true);
        thread.start();
    }

    List<JsonObject> events() {
        return new ArrayList<>(events);
    }

    /**
     * {@link System#nanoTime()} at which each event arrived, in the order of {@link #events()} (read it after
     * {@link #events()}: it is never shorter).
     */
    List<Long> arrivals() {
        return new ArrayList<>(arrivals);
    }

    /** {@link System#nanoTime()} at which each connection was open, oldest first. */
    List<Long> openings() {
        return new ArrayList<>(openings);
    }

    /** Each "seq S after T" where S did not rise above the seq before it. */
    List<String> disorder() {
        return List.copyOf(disorder);
    }

    int connections() {
        return connections.get();
    }

    private void run() {
        while (stop.getCount() > 0) {
            try {
                Client client = new Client(URI.create("ws://127.0.0.1:" + port.getAsInt() + "/ws/devices/all?since="
                        + lastSeq));
                current = client;
                if (client.connectBlocking(2, TimeUnit.SECONDS)) {
                    openings.add(System.nanoTime());
                    connections.incrementAndGet();
                    while (!client.closed.await(100, TimeUnit.MILLISECONDS) && stop.getCount() > 0) {
                        // connected: events arrive on the client's thread
                    }
                }
                client.closeBlocking();
                // a short pause between attempts while the gateway is down (reconnect backoff, not synchronisation)
                stop.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                disorder.add("subscriber loop failed: " + t);
            }
        }
    }

    private void received(String text) {
        JsonObject event = Json.parseObject(text);
        long seq = event.get("seq").getAsLong();
        if (seq <= lastSeq) {
            disorder.add("seq " + seq + " after " + lastSeq);
        }
        lastSeq = Math.max(lastSeq, seq);
        arrivals.add(System.nanoTime());
        events.add(event);
    }

    @Override
    public void close() throws InterruptedException {
        stop.countDown();
        thread.join(5_000);
        Client last = current;
        if (last != null) {
            last.closeBlocking();
        }
    }

    private final class Client extends WebSocketClient {
        final CountDownLatch closed = new CountDownLatch(1);

        Client(URI uri) {
            super(uri);
            setConnectionLostTimeout(0);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            received(message);
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closed.countDown();
        }

        @Override
        public void onError(Exception ex) {
            // onClose follows
        }
    }
}
