package io.benchlink.gateway.agents;

import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.gateway.store.WriteCommand;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.java_websocket.WebSocket;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.TextFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connection after its hello: who it is, which devices it reports for, and the ack path back to it.
 *
 * <p>Owned by: the WebSocket selector thread, which decodes every frame (issue 18); acks arrive
 * from the store writer thread through {@link #stored}, which only queues a frame.
 */
public final class AgentSession implements WriteCommand.Receipt {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSession.class);

    private final WebSocket connection;
    private final AgentFrameCodec codec;
    private final String agentId;
    private final Set<String> devices;
    private final WriterShare.Held held = new WriterShare.Held(); // issue 14.4: statuses in the writer's queue
    private volatile boolean replaced;

    AgentSession(WebSocket connection, AgentFrameCodec codec, String agentId, List<String> devices) {
        this.connection = connection;
        this.codec = codec;
        this.agentId = agentId;
        this.devices = new CopyOnWriteArraySet<>(devices);
    }

    public String agentId() {
        return agentId;
    }

    public List<String> devices() {
        return List.copyOf(devices);
    }

    void reportsFor(String deviceId) {
        devices.add(deviceId);
    }

    WebSocket connection() {
        return connection;
    }

    WriterShare.Held held() {
        return held;
    }

    void markReplaced() {
        replaced = true;
    }

    boolean replaced() {
        return replaced;
    }

    /** Acks of the current commit batch; touched only by the store writer thread. */
    private final List<Framedata> pendingAcks = new ArrayList<>();

    @Override
    public void stored(long agentSeq) {
        TextFrame frame = new TextFrame();
        frame.setPayload(ByteBuffer.wrap(codec.encode(new Ack(agentSeq)).getBytes(StandardCharsets.UTF_8)));
        pendingAcks.add(frame);
    }

    /** Sends the batch's acks together: one wake-up of the network thread instead of one per ack. */
    @Override
    public void flush() {
        if (pendingAcks.isEmpty()) {
            return;
        }
        if (connection.isOpen()) {
            try {
                connection.sendFrame(new ArrayList<>(pendingAcks));
            } catch (WebsocketNotConnectedException e) {
                // closed meanwhile: the agent resends and gets its acks on the next link
            }
        }
        pendingAcks.clear();
    }

    /** Issue 14.2/14.3: this one status is refused; the link stays open and the agent keeps it spooled. */
    @Override
    public void refused(long agentSeq, String deviceId, String reason) {
        LOG.debug("{} - status seq {} for {} refused: {}", agentId, agentSeq, deviceId, reason); // callers log
        if (connection.isOpen()) {
            try {
                connection.send(codec.encode(new ErrorFrame(reason, agentSeq, deviceId)));
            } catch (WebsocketNotConnectedException e) {
                // closed meanwhile: the agent resends on its next link
            }
        }
    }

    @Override
    public void failed(long agentSeq, String reason) {
        // No ack: the agent keeps the status in its spool and sends it again on its next link.
        LOG.warn("{} - status seq {} not stored ({}); closing link so the agent resends", agentId, agentSeq, reason);
        connection.close(1011, "store unavailable");
    }
}
