package io.benchlink.gateway.onec;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/**
 * Java twin of the 1C module {@code docs/1c/BenchlinkWebSocketClient.bsl} (БенчлинкWebSocketКлиент): the same URL
 * ({@code /ws/devices/{subscription}?since=<position>}, settings re-read at every attempt), the same
 * {@code Authorization: Bearer} header, the retention check before each connection
 * ({@link OneCHttpPolling#checkBeforeConnect}), the same close-code rule (4400/4401 stop, everything else
 * reconnects), the next gateway of the list after a failed connection (the same position), and the same backoff
 * shape (1, 2, 4 ... 60 units plus up to one unit of jitter, reset after an event was processed). In 1C the unit is
 * a second; tests shrink it.
 *
 * <p>Like the 1C client, everything runs on one thread ({@code onec-client}): connection callbacks, idle handlers and
 * the (synchronous) server call that handles a frame, one frame at a time. A socket's reader waits until its frame
 * was handled, as the platform does not read on while a handler runs, so a stalled handler backs the gateway up.
 * A callback counts only if its connection key is the current one; an unreadable key counts as not current.
 *
 * <p>What it proves: the gateway's side of the contract and the resume and failover algorithm the BSL follows. What
 * it does not: that the BSL compiles, or that the platform's WebSocket client calls back as assumed.
 *
 * <p>Owned by: the {@code onec-client} thread; the lists read by tests are guarded by {@code this}.
 */
final class OneCWebSocketClient implements AutoCloseable {
    enum Decision { STOP, RECONNECT }

    private final List<OneCGateway> gateways;
    private final String subscription;
    private final String token;
    private final OneCEventHandling handling;
    private final OneCHttpPolling retentionCheck;
    private final Duration unit;
    private final Supplier<Socket> sockets;
    private final ScheduledExecutorService clientThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "onec-client");
        thread.setDaemon(true);
        return thread;
    });

    // Confined to onec-client.
    private String currentKey = "";
    private Connection current;
    private boolean stopped;
    private boolean reconnectScheduled;
    private int gateway;
    private int failures;

    // Read by tests.
    private final List<Integer> closeCodes = new ArrayList<>();
    private final List<Integer> gatewaysConnected = new ArrayList<>();
    private volatile boolean stoppedByCode;

    /**
     * @param gateways the settings' gateway list, in order of preference
     * @param sockets  the socket each connection uses (lets a test give it a small receive buffer)
     */
    OneCWebSocketClient(List<OneCGateway> gateways, String subscription, String token, OneCEventHandling handling,
            Duration unit, Supplier<Socket> sockets) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("no gateway in the settings");
        }
        this.gateways = List.copyOf(gateways);
        this.subscription = subscription;
        this.token = token;
        this.handling = handling;
        this.retentionCheck = new OneCHttpPolling(gateways, token, handling, 1);
        this.unit = unit;
        this.sockets = sockets;
    }

    /** PROTOCOL.md §2 as БенчлинкWebSocketКлиент.РешениеПоКодуЗакрытия applies it. */
    static Decision decide(int closeCode) {
        return closeCode == 4400 || closeCode == 4401 ? Decision.STOP : Decision.RECONNECT;
    }

    /** БенчлинкWebSocketКлиент.ЗадержкаПереподключения, in units. */
    static double backoffUnits(int attempt, double jitter) {
        int capped = Math.min(Math.max(attempt, 1), 7);
        return Math.min(60, Math.pow(2, capped - 1)) + jitter;
    }

    /**
     * ЭтоТекущееСоединение: true only when the callback's connection key can be read and equals the current key.
     * A key that cannot be read never counts as current: a late frame of an old connection must not move the
     * position past an event that was not handled.
     */
    static boolean isCurrent(String currentKey, Object connection) {
        if (currentKey.isEmpty() || !(connection instanceof Connection c)) {
            return false;
        }
        return currentKey.equals(c.key);
    }

    /** Подключиться: opens the first connection, to the first gateway; later ones follow the rules above. */
    void connect() {
        clientThread.execute(this::open);
    }

    boolean stopped() {
        return stoppedByCode;
    }

    synchronized int attempts() {
        return gatewaysConnected.size();
    }

    synchronized List<Integer> closeCodes() {
        return List.copyOf(closeCodes);
    }

    /** The gateway index of every connection attempt, in order. */
    synchronized List<Integer> gatewaysConnected() {
        return List.copyOf(gatewaysConnected);
    }

    /** The retention warnings logged before connecting (БенчлинкHTTPОпрос's event log lines). */
    List<String> warnings() {
        return retentionCheck.warnings();
    }

    /** Hands a frame to the client thread as if connection {@code connection} delivered it; waits until handled. */
    void deliver(Object connection, String message) {
        runOnClientThread(() -> onMessage(connection, message));
    }

    @Override
    public void close() {
        Connection last;
        try {
            last = clientThread.submit(() -> {
                stopped = true;
                Connection c = current;
                current = null;
                currentKey = "";
                return c;
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            last = null;
        }
        // Readers waiting for frames that will not be handled now are released by the cancellation.
        clientThread.shutdownNow().forEach(task -> ((Future<?>) task).cancel(false));
        if (last != null) {
            last.close();
        }
    }

    private void open() {
        if (stopped) {
            return;
        }
        reconnectScheduled = false;
        try {
            retentionCheck.checkBeforeConnect(subscription, gateway);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        URI uri = URI.create(gateways.get(gateway).webSocket().get() + "/ws/devices/" + subscription + "?since="
                + handling.position(subscription));
        Connection connection = new Connection(uri, UUID.randomUUID().toString(),
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
        current = connection;
        currentKey = connection.key;
        synchronized (this) {
            gatewaysConnected.add(gateway);
        }
        connection.setSocket(sockets.get());
        connection.connect();
    }

    private void scheduleReconnect(boolean nextGateway) {
        if (stopped || reconnectScheduled) {
            return;
        }
        if (nextGateway) {
            gateway = (gateway + 1) % gateways.size();
        }
        failures++;
        double units = backoffUnits(failures, ThreadLocalRandom.current().nextDouble());
        reconnectScheduled = true;
        clientThread.schedule(this::open, Math.round(units * unit.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void forgetCurrent() {
        current = null;
        currentKey = "";
    }


    private void onMessage(Object connection, String message) {
        if (!isCurrent(currentKey, connection) || stopped) {
            return;
        }
        OneCEventHandling.Outcome outcome;
        try {
            outcome = handling.processFrame(subscription, message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (outcome == OneCEventHandling.Outcome.PROCESSED) {
            failures = 0;
        } else if (outcome == OneCEventHandling.Outcome.HANDLER_FAILED) {
            // An unprocessed event may not be overtaken: drop this connection, resume with since= on the same gateway.
            Connection failed = current;
            forgetCurrent();
            failed.close();
            scheduleReconnect(false);
        }
    }

    private void onClose(Object connection, int code) {
        if (!isCurrent(currentKey, connection)) {
            return;
        }
        forgetCurrent();
        synchronized (this) {
            closeCodes.add(code);
        }
        if (stopped) {
            return;
        }
        if (decide(code) == Decision.STOP) {
            stopped = true;
            stoppedByCode = true;
            return;
        }
        // A failed connection (never opened, or closed by the gateway or the network): the next gateway, same seq.
        scheduleReconnect(true);
    }

    /** Runs {@code action} on the client thread and waits for it, as a platform callback would block its reader. */
    private void runOnClientThread(Runnable action) {
        try {
            clientThread.submit(action).get();
        } catch (RejectedExecutionException | CancellationException e) {
            // The client was closed: the frame is dropped, as 1C drops callbacks of a closed session.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("1C client callback failed", e.getCause());
        }
    }

    /** One attempt; {@code key} is the 1C connection key. */
    private final class Connection extends WebSocketClient {
        private final String key;

        Connection(URI uri, String key, Map<String, String> headers) {
            super(uri, headers);
            this.key = key;
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            // 1C's open handler only logs; what matters is that frames of this key now count.
        }

        @Override
        public void onMessage(String message) {
            runOnClientThread(() -> OneCWebSocketClient.this.onMessage(this, message));
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            // Also called when the attempt never connected (code -1): 1C's error handler reconnects then.
            runOnClientThread(() -> OneCWebSocketClient.this.onClose(this, code));
        }

        @Override
        public void onError(Exception ex) {
            // onClose follows with the code; the 1C error handler only logs when the connection had opened.
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
