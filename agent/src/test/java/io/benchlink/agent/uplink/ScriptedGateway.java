package io.benchlink.agent.uplink;

import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.time.WallClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * A gateway on 127.0.0.1, port 0, whose answers the test scripts frame by frame: the uplink's direct neighbour in
 * its unit tests (FakeGateway, for UplinkIT, plays a well-behaved gateway instead). By default it welcomes with
 * last_seq 0 and acks every status at once. Records hellos, status seqs and close codes; thread-safe.
 */
final class ScriptedGateway extends WebSocketServer {
    /** Answers one frame; {@code hello} is the number of the hello on this gateway (1, 2, ...). */
    interface Script {
        void answer(ScriptedGateway gateway, WebSocket conn, int hello, AgentFrame frame);
    }

    static final Script WELCOME_AND_ACK = (gateway, conn, hello, frame) -> {
        if (frame instanceof Hello) {
            gateway.send(conn, new Welcome(0));
        } else if (frame instanceof StatusFrame status) {
            gateway.send(conn, new Ack(status.seq()));
        }
    };

    private final AgentFrameCodec codec = new AgentFrameCodec(WallClock.system());
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicInteger helloCount = new AtomicInteger();
    private volatile Script script = WELCOME_AND_ACK;
    final List<Hello> hellos = new CopyOnWriteArrayList<>();
    final List<Long> received = new CopyOnWriteArrayList<>();
    final List<Integer> closeCodes = new CopyOnWriteArrayList<>();

    ScriptedGateway() {
        super(new InetSocketAddress("127.0.0.1", 0));
        setReuseAddr(true);
        setTcpNoDelay(true);
    }

    ScriptedGateway startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("scripted gateway did not start");
        }
        return this;
    }

    ScriptedGateway script(Script next) {
        script = next;
        return this;
    }

    URI url() {
        return URI.create("ws://127.0.0.1:" + getPort());
    }

    void send(WebSocket conn, AgentFrame frame) {
        conn.send(codec.encode(frame));
    }

    void dropConnections() {
        getConnections().forEach(c -> c.close(1011, "test drops the link"));
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        // the path is checked by UplinkConfigTest; every connection here is an agent link
    }

    @Override
    public void onMessage(WebSocket conn, String text) {
        AgentFrame frame;
        try {
            frame = codec.decode(text, WallClock.system().now());
        } catch (FrameException e) {
            conn.close(1008, "bad frame");
            return;
        }
        int hello = helloCount.get();
        if (frame instanceof Hello h) {
            hellos.add(h);
            hello = helloCount.incrementAndGet();
        } else if (frame instanceof StatusFrame status) {
            received.add(status.seq());
        }
        script.answer(this, conn, hello, frame);
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        closeCodes.add(code);
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        // a failure shows up in the test as a missing frame; the library logs the exception
    }
}
