package io.benchlink.gateway.onec;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkWebSocketClient.bsl} (БенчлинкWebSocketКлиент): the same
 * URL ({@code /ws/devices/{subscription}?since=<position>}, re-read from the settings at every attempt), the
 * same {@code Authorization: Bearer} header, the same close-code rule (4400/4401 stop, everything else
 * reconnects) and the same backoff shape (1, 2, 4 ... 60 units plus up to one unit of jitter, reset after an
 * event was processed). In 1C the unit is a second; tests shrink it.
 *
 * <p>Owned by: the scheduler thread {@code onec-reconnect} (the 1C idle handler) and the connection threads
 * (the 1C WebSocket callbacks); the connection state is guarded by {@code this}. A callback from a connection
 * that is no longer current is ignored, as the 1C module ignores callbacks with a former key.
 */
final class OneCWebSocketClient implements AutoCloseable {
    enum Decision { STOP, RECONNECT }

    private final Supplier<String> address;
    private final String subscription;
    private final String token;
    private final OneCEventHandling handling;
    private final Duration unit;
    private final Supplier<Socket> sockets;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "onec-reconnect");
        thread.setDaemon(true);
        return thread;
    });

    private Connection current;
    private boolean stopped;
    private boolean reconnectScheduled;
    private int failures;
    private int attempts;
    private final List<Integer> closeCodes = new ArrayList<>();

    /**
     * @param address  the settings' АдресWebSocket, read at every attempt ({@code ws://host:port})
     * @param sockets  the socket each connection uses (lets a test give it a small receive buffer)
     */
    OneCWebSocketClient(Supplier<String> address, String subscription, String token, OneCEventHandling handling,
            Duration unit, Supplier<Socket> sockets) {
        this.address = address;
        this.subscription = subscription;
        this.token = token;
        this.handling = handling;
        this.unit = unit;
        this.sockets = sockets;
    }

    /** CONTRACT §2 as БенчлинкWebSocketКлиент.РешениеПоКодуЗакрытия applies it. */
    static Decision decide(int closeCode) {
        return closeCode == 4400 || closeCode == 4401 ? Decision.STOP : Decision.RECONNECT;
    }

    /** БенчлинкWebSocketКлиент.ЗадержкаПереподключения, in units. */
    static double backoffUnits(int attempt, double jitter) {
        int capped = Math.min(Math.max(attempt, 1), 7);
        return Math.min(60, Math.pow(2, capped - 1)) + jitter;
    }

    /** Подключиться: opens the first connection; later ones follow the close-code rule. */
    synchronized void connect() {
        open();
    }

    synchronized boolean stopped() {
        return stopped;
    }

    synchronized int attempts() {
        return attempts;
    }

    synchronized List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    @Override
    public void close() {
        Connection last;
        synchronized (this) {
            stopped = true;
            last = current;
            current = null;
        }
        scheduler.shutdownNow();
        if (last != null) {
            last.close();
        }
    }

    private synchronized void open() {
        if (stopped) {
            return;
        }
        reconnectScheduled = false;
        URI uri = URI.create(address.get() + "/ws/devices/" + subscription + "?since="
                + handling.position(subscription));
        Connection connection = new Connection(uri, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        current = connection;
        attempts++;
        connection.setSocket(sockets.get());
        connection.connect();
    }

    private synchronized void scheduleReconnect() {
        if (stopped || reconnectScheduled) {
            return;
        }
        failures++;
        double units = backoffUnits(failures, ThreadLocalRandom.current().nextDouble());
        reconnectScheduled = true;
        scheduler.schedule(this::open, Math.round(units * unit.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void onMessage(Connection connection, String message) throws InterruptedException {
        synchronized (this) {
            if (connection != current || stopped) {
                return;
            }
        }
        OneCEventHandling.Outcome outcome = handling.processFrame(subscription, message);
        synchronized (this) {
            if (outcome == OneCEventHandling.Outcome.PROCESSED) {
                failures = 0;
            } else if (outcome == OneCEventHandling.Outcome.HANDLER_FAILED && connection == current) {
                // An unprocessed event may not be overtaken: drop this connection, resume with since= later.
                current = null;
                connection.close();
                scheduleReconnect();
            }
        }
    }

    private synchronized void onClose(Connection connection, int code) {
        if (connection != current) {
            return;
        }
        current = null;
        closeCodes.add(code);
        if (stopped) {
            return;
        }
        if (decide(code) == Decision.STOP) {
            stopped = true;
            return;
        }
        scheduleReconnect();
    }

    /** One attempt; the 1C connection key. */
    private final class Connection extends WebSocketClient {
        Connection(URI uri, Map<String, String> headers) {
            super(uri, headers);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String message) {
            try {
                OneCWebSocketClient.this.onMessage(this, message);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            // Also called when the attempt never connected (code -1): 1C's error handler reconnects then too.
            OneCWebSocketClient.this.onClose(this, code);
        }

        @Override
        public void onError(Exception ex) {
        }
    }

    /** A plain socket with a small receive buffer, so a stalled reader backs the gateway up quickly. */
    static Socket smallReceiveBufferSocket() {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(4096);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return socket;
    }
}
