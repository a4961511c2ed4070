package io.benchlink.gateway.testing;

import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

/** A scripted agent for gateway tests: says hello, sends status frames, records welcome, acks and errors. */
public final class TestAgent extends WebSocketClient {
    private static final WallClock CLOCK = WallClock.system();
    private final AgentFrameCodec codec = new AgentFrameCodec(CLOCK);
    private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    private final Set<Long> acked = ConcurrentHashMap.newKeySet();
    private final List<Long> ackOrder = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<ErrorFrame> errorFrames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    public TestAgent(URI uri) {
        super(uri);
    }

    /** Connects, says hello and waits for the welcome. */
    public static TestAgent hello(URI uri, String agentId, String token, List<String> devices) throws Exception {
        TestAgent agent = new TestAgent(uri);
        if (!agent.connectBlocking(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("agent could not connect");
        }
        agent.send(agent.codec.encode(new Hello(agentId, token, devices)));
        agent.welcome.get(5, TimeUnit.SECONDS);
        return agent;
    }

    public static DeviceStatus result(String deviceId, StatusKind kind, String text) {
        LocalDateTime now = CLOCK.now();
        return new DeviceStatus("aa:bb:cc:dd:ee:01", "SN-1", kind, now.minusSeconds(3), now, now, text, deviceId, 0);
    }

    public void sendStatus(long seq, DeviceStatus status) {
        send(codec.encode(new StatusFrame(seq, status)));
    }

    public long lastSeq() throws Exception {
        return welcome.get(5, TimeUnit.SECONDS).lastSeq();
    }

    public Set<Long> acked() {
        return acked;
    }

    public List<Long> ackOrder() {
        return ackOrder;
    }

    public List<String> errors() {
        return errors;
    }

    /** The error frames received, with their {@code seq} and {@code device_id} when they refuse one status. */
    public List<ErrorFrame> errorFrames() {
        return errorFrames;
    }

    public boolean closedYet() {
        return closeCode.isDone();
    }

    public int awaitCloseCode() throws Exception {
        return closeCode.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        try {
            AgentFrame frame = codec.decode(message, CLOCK.now());
            if (frame instanceof Welcome w) {
                welcome.complete(w);
            } else if (frame instanceof Ack a) {
                acked.add(a.seq());
                ackOrder.add(a.seq());
            } else if (frame instanceof ErrorFrame e) {
                errors.add(e.message());
                errorFrames.add(e);
            }
        } catch (FrameException e) {
            errors.add("undecodable: " + message);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closeCode.complete(code);
        welcome.completeExceptionally(new IllegalStateException("closed " + code + " " + reason));
    }

    @Override
    public void onError(Exception ex) {
    }
}
