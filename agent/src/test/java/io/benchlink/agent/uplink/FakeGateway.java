package io.benchlink.agent.uplink;

import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A small gateway speaking PROTOCOL.md §3 on 127.0.0.1, port 0: the uplink's direct neighbour in its tests. It stores
 * each (seq) once, acks repeats again, and can be told to hold acks, forget statuses above a seq (a gateway that
 * crashed before storing them), report a lower last_seq than it holds, or refuse a token. All state is guarded by
 * this object's monitor (callbacks run on the library's worker threads).
 */
final class FakeGateway extends WebSocketServer {
    /** One accepted agent connection and the status seqs it carried, repeats included. */
    static final class Link {
        final List<Long> received = new ArrayList<>();
        final long helloNanos;
        int closeCode;

        Link(long helloNanos) {
            this.helloNanos = helloNanos;
        }
    }

    private final AgentFrameCodec codec = new AgentFrameCodec(WallClock.system());
    private final CountDownLatch started = new CountDownLatch(1);
    private final String token;
    private final TreeMap<Long, DeviceStatus> stored = new TreeMap<>();
    private String refusedDevice;
    private final List<Link> links = new ArrayList<>();
    private final List<Hello> hellos = new ArrayList<>();
    private final List<WebSocket> heldAckConnections = new ArrayList<>();
    private final List<Long> heldAcks = new ArrayList<>();
    private boolean holdAcks;
    private boolean withholdWelcome;
    private long forgetAbove = Long.MAX_VALUE;
    private long welcomeOverride = -1;
    private int maxUnacked;
    private int unacked;

    FakeGateway(String token) {
        this(token, 0);
    }

    FakeGateway(String token, int port) {
        super(new InetSocketAddress("127.0.0.1", port));
        this.token = token;
        setReuseAddr(true);
        setTcpNoDelay(true); // as the real gateway must: Nagle would hold back pipelined acks
    }

    FakeGateway startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("fake gateway did not start");
        }
        return this;
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }

    // ---- test controls ------------------------------------------------------------------------------------------

    synchronized void holdAcks(boolean hold) {
        holdAcks = hold;
        if (!hold) {
            for (int i = 0; i < heldAcks.size(); i++) {
                ack(heldAckConnections.get(i), heldAcks.get(i));
            }
            heldAcks.clear();
            heldAckConnections.clear();
        }
    }

    /** Statuses above {@code seq} are dropped unstored and unacked, as by a gateway that dies before storing. */
    synchronized void forgetAbove(long seq) {
        forgetAbove = seq;
    }

    /** Statuses for this device get a per-status error frame (PROTOCOL.md §3 ownership), unstored; null: none. */
    synchronized void refuseDevice(String deviceId) {
        refusedDevice = deviceId;
    }

    /** Hellos get no answer at all, as from a gateway that hangs. */
    synchronized void withholdWelcome(boolean withhold) {
        withholdWelcome = withhold;
    }

    /** The next welcomes report this last_seq instead of the highest stored (-1: the truth). */
    synchronized void welcomeWith(long lastSeq) {
        welcomeOverride = lastSeq;
    }

    void dropConnections() {
        for (WebSocket connection : getConnections()) {
            connection.close(1011, "test drops the link");
        }
    }

    synchronized List<Long> storedSeqs() {
        return new ArrayList<>(stored.keySet());
    }

    synchronized int storedCount() {
        return stored.size();
    }

    synchronized int receivedCount() {
        return links.stream().mapToInt(l -> l.received.size()).sum();
    }

    synchronized List<Link> links() {
        return new ArrayList<>(links);
    }

    synchronized List<Hello> hellos() {
        return new ArrayList<>(hellos);
    }

    synchronized int maxUnacked() {
        return maxUnacked;
    }

    synchronized int unacked() {
        return unacked;
    }

    // ---- WebSocketServer ----------------------------------------------------------------------------------------

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (!"/ws/agents".equals(handshake.getResourceDescriptor())) {
            conn.close(4404, "wrong path " + handshake.getResourceDescriptor());
        }
    }

    @Override
    public synchronized void onMessage(WebSocket conn, String text) {
        AgentFrame frame;
        try {
            frame = codec.decode(text, WallClock.system().now());
        } catch (FrameException e) {
            refuse(conn, e.getMessage());
            return;
        }
        if (frame instanceof Hello hello) {
            onHello(conn, hello);
        } else if (frame instanceof StatusFrame status && conn.getAttachment() != null) {
            onStatus(conn, status);
        } else {
            refuse(conn, "unexpected frame");
        }
    }

    private void onHello(WebSocket conn, Hello hello) {
        hellos.add(hello);
        Link link = new Link(System.nanoTime());
        links.add(link);
        if (token != null && !token.equals(hello.token())) {
            refuse(conn, "bad token for agent " + hello.agentId());
            return;
        }
        if (withholdWelcome) {
            return;
        }
        conn.setAttachment(link);
        unacked = 0;
        long last = welcomeOverride >= 0 ? welcomeOverride : stored.isEmpty() ? 0 : stored.lastKey();
        conn.send(codec.encode(new Welcome(last)));
    }

    private void onStatus(WebSocket conn, StatusFrame status) {
        Link link = conn.getAttachment();
        link.received.add(status.seq());
        if (status.seq() > forgetAbove) {
            return;
        }
        if (status.status().deviceId().equals(refusedDevice)) {
            conn.send(codec.encode(new ErrorFrame(status.status().deviceId() + " is owned by rig-99", status.seq(),
                    status.status().deviceId())));
            return;
        }
        stored.putIfAbsent(status.seq(), status.status()); // PROTOCOL.md §3: a repeat is stored once, acked again
        unacked++;
        maxUnacked = Math.max(maxUnacked, unacked);
        if (holdAcks) {
            heldAckConnections.add(conn);
            heldAcks.add(status.seq());
        } else {
            ack(conn, status.seq());
        }
    }

    private void ack(WebSocket conn, long seq) {
        unacked--;
        if (conn.isOpen()) {
            conn.send(codec.encode(new Ack(seq)));
        }
    }

    private void refuse(WebSocket conn, String message) {
        conn.send(codec.encode(new ErrorFrame(message)));
        conn.close(1008, "refused");
    }

    @Override
    public synchronized void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Link link = conn.getAttachment();
        if (link != null) {
            link.closeCode = code;
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // a test failure shows up as a missing status; the library already logs the exception
    }
}
