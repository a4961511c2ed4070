package io.benchlink.gateway.testing;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A 1C-like test subscriber: records every frame as a JSON object, and how and why it was closed. */
public final class Subscriber extends WebSocketClient {
    public record Closed(int code, String reason, boolean remote) {
    }

    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    public Subscriber(URI uri) {
        super(uri);
    }

    public Subscriber(URI uri, Map<String, String> headers) {
        super(uri, headers);
    }

    public static Subscriber connect(URI uri) throws InterruptedException {
        Subscriber subscriber = new Subscriber(uri);
        if (!subscriber.connectBlocking(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("could not connect to " + uri);
        }
        return subscriber;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        received.add(Json.parseObject(message));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closed.complete(new Closed(code, reason, remote));
    }

    @Override
    public void onError(Exception ex) {
    }

    public List<JsonObject> received() {
        return new ArrayList<>(received);
    }

    public List<Long> seqs() {
        return received.stream().map(o -> o.get("seq").getAsLong()).toList();
    }

    public int count() {
        return received.size();
    }

    public Closed awaitClosed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isClosedYet() {
        return closed.isDone();
    }
}
