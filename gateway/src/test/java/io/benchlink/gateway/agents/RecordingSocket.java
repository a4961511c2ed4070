package io.benchlink.gateway.agents;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSession;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.enums.Opcode;
import org.java_websocket.enums.ReadyState;
import org.java_websocket.framing.Framedata;
import org.java_websocket.protocols.IProtocol;

/**
 * An agent's connection as the endpoint sees it, for unit tests: the text it was sent (frames too, decoded) and
 * how it was closed. Thread-safe: acks arrive from the store writer thread.
 */
final class RecordingSocket implements WebSocket {
    final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    volatile int closeCode;
    volatile String closeReason;

    /** What the socket was sent, as one line per frame. */
    List<String> sent() {
        return List.copyOf(sent);
    }

    void dropped() {
        open = false;
    }

    @Override
    public void close(int code, String reason) {
        if (open) {
            closeCode = code;
            closeReason = reason;
        }
        open = false;
    }

    @Override
    public void close(int code) {
        close(code, "");
    }

    @Override
    public void close() {
        close(1000);
    }

    @Override
    public void closeConnection(int code, String reason) {
        close(code, reason);
    }

    @Override
    public void send(String text) {
        sent.add(text);
    }

    @Override
    public void send(ByteBuffer bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void send(byte[] bytes) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void sendFrame(Framedata frame) {
        sent.add(StandardCharsets.UTF_8.decode(frame.getPayloadData().duplicate()).toString());
    }

    @Override
    public void sendFrame(Collection<Framedata> frames) {
        frames.forEach(this::sendFrame);
    }

    @Override
    public void sendPing() {
    }

    @Override
    public void sendFragmentedFrame(Opcode op, ByteBuffer buffer, boolean last) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean hasBufferedData() {
        return false;
    }

    @Override
    public InetSocketAddress getRemoteSocketAddress() {
        return new InetSocketAddress("127.0.0.1", 40000);
    }

    @Override
    public InetSocketAddress getLocalSocketAddress() {
        return new InetSocketAddress("127.0.0.1", 8000);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isClosing() {
        return false;
    }

    @Override
    public boolean isFlushAndClose() {
        return false;
    }

    @Override
    public boolean isClosed() {
        return !open;
    }

    @Override
    public Draft getDraft() {
        return null;
    }

    @Override
    public ReadyState getReadyState() {
        return open ? ReadyState.OPEN : ReadyState.CLOSED;
    }

    @Override
    public String getResourceDescriptor() {
        return "/ws/agents";
    }

    @Override
    public <T> void setAttachment(T attachment) {
    }

    @Override
    public <T> T getAttachment() {
        return null;
    }

    @Override
    public boolean hasSSLSupport() {
        return false;
    }

    @Override
    public SSLSession getSSLSession() {
        throw new IllegalArgumentException("no TLS");
    }

    @Override
    public IProtocol getProtocol() {
        return null;
    }
}
