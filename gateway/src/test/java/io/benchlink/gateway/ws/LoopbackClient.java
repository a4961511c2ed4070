package io.benchlink.gateway.ws;

import java.net.URI;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A client of a {@link LoopbackServer} on one of its paths: every callback a test does not watch does nothing. */
class LoopbackClient extends WebSocketClient {
    LoopbackClient(LoopbackServer server, String path) {
        super(URI.create("ws://127.0.0.1:" + server.getPort() + path));
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
    }

    @Override
    public void onError(Exception ex) {
    }
}
