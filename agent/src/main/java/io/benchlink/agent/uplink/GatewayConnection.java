package io.benchlink.agent.uplink;

import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.function.Consumer;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.handshake.ServerHandshake;

/**
 * One connection attempt to a gateway's agent endpoint. A Java-WebSocket client is single-use, so every attempt
 * gets a new instance. Callbacks run on the library's threads and only hand events to the agent-uplink thread;
 * no state lives here.
 */
final class GatewayConnection extends WebSocketClient {
    /** Incoming frames above this are refused by the library (close 1009); our frames are far smaller. */
    static final int MAX_FRAME_BYTES = 64 * 1024;

    private final long link;
    private final Consumer<UplinkEvent> events;

    GatewayConnection(URI endpoint, long link, Consumer<UplinkEvent> events, int connectTimeoutMillis) {
        super(endpoint, new Draft_6455(Collections.emptyList(), MAX_FRAME_BYTES), Map.of(), connectTimeoutMillis);
        this.link = link;
        this.events = events;
        setDaemon(true);
        setTcpNoDelay(true);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        events.accept(new UplinkEvent.Opened(link));
    }

    @Override
    public void onMessage(String text) {
        events.accept(new UplinkEvent.Text(link, text));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        events.accept(new UplinkEvent.Closed(link, code, reason));
    }

    @Override
    public void onError(Exception e) {
        events.accept(new UplinkEvent.Failed(link, e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
}
