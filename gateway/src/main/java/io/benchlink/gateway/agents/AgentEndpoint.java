package io.benchlink.gateway.agents;

import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.FrameException;
import io.benchlink.common.protocol.Goodbye;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.text.OneLine;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.metrics.StatusTally;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.WriteCommand;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;
import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of PROTOCOL.md §3 on {@code /ws/agents}: hello/welcome, status → store → ack, and refusal of
 * anything else with an error frame and a close. It decodes on the connection's worker thread and hands each
 * status to the store writer without waiting; a bad frame affects only its own connection.
 *
 * <p>Thread-safe: per-connection state lives in the connection's {@link AgentSession}; shared state is in
 * {@link AgentLinks} and the writer.
 */
public final class AgentEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(AgentEndpoint.class);

    private final AgentFrameCodec codec;
    private final WallClock clock;
    private final StoreWriter writer;
    private final AgentLinks links;
    private final TokenCheck tokens;
    private final int maxFrameBytes;
    private final int maxAgents;
    private final StatusRate rate;
    private final WriterShare share;
    private final AtomicInteger open = new AtomicInteger();
    private final StatusTally received = new StatusTally();
    private volatile LongConsumer ackLatency = nanos -> { };
    private volatile boolean accepting = true;

    public AgentEndpoint(AgentFrameCodec codec, WallClock clock, StoreWriter writer, AgentLinks links,
            TokenCheck tokens, int maxFrameBytes, int maxAgents) {
        this(codec, clock, writer, links, tokens, maxFrameBytes, maxAgents, SecurityConfig.DEFAULT_MAX_STATUS_RATE);
    }

    /** With the per-agent status rate limit of issue 7 ({@code --max-status-rate}). */
    public AgentEndpoint(AgentFrameCodec codec, WallClock clock, StoreWriter writer, AgentLinks links,
            TokenCheck tokens, int maxFrameBytes, int maxAgents, int maxStatusRate) {
        this.rate = new StatusRate(maxStatusRate, System::nanoTime);
        this.share = new WriterShare(writer.queueCapacity(), writer::queueDepth);
        this.codec = codec;
        this.clock = clock;
        this.writer = writer;
        this.links = links;
        this.tokens = tokens;
        this.maxFrameBytes = maxFrameBytes;
        this.maxAgents = maxAgents;
    }

    /**
     * Handles one text frame; returns the session after a hello (the caller keeps it with the connection).
     */
    public AgentSession message(WebSocket connection, AgentSession session, String text) {
        if (tooLarge(text)) {
            refuse(connection, session, CloseCodes.POLICY, "frame larger than " + maxFrameBytes + " bytes");
            return session;
        }
        AgentFrame frame;
        try {
            frame = codec.decode(text, clock.now());
        } catch (FrameException e) {
            refuse(connection, session, CloseCodes.POLICY, e.getMessage());
            return session;
        }
        if (frame instanceof Hello hello) {
            return hello(connection, session, hello);
        }
        if (frame instanceof StatusFrame status) {
            status(connection, session, status);
            return session;
        }
        if (frame instanceof Goodbye goodbye) {
            goodbye(connection, session, goodbye);
            return session;
        }
        refuse(connection, session, CloseCodes.POLICY, "unexpected frame from an agent");
        return session;
    }

    public void binary(WebSocket connection, AgentSession session) {
        refuse(connection, session, CloseCodes.POLICY, "binary frames are not part of the agent protocol");
    }

    /** A link closed; {@code session} is null when it never got through its hello (it held no agent slot). */
    public void closed(AgentSession session) {
        if (session == null) {
            return;
        }
        open.decrementAndGet();
        share.left();
        if (!session.replaced()) {
            links.detach(session);
        }
    }

    /** Issue 7: an agent link that said no hello within the handshake timeout gets an error frame and a close. */
    public void noHello(WebSocket connection, String reason) {
        refuse(connection, null, CloseCodes.POLICY, reason);
    }

    /** During shutdown statuses are left unacknowledged; the agents keep them spooled and resend. */
    public void stopAccepting() {
        accepting = false;
    }

    public long received() {
        return received.total();
    }

    /** Statuses received on agent links, by status (read by the metrics endpoint). */
    public StatusTally receivedByStatus() {
        return received;
    }

    /** Set once during wiring: hears, in nanoseconds, how long each status took from receipt to its ack. */
    public void observeAckLatency(LongConsumer observer) {
        this.ackLatency = observer;
    }

    private AgentSession hello(WebSocket connection, AgentSession session, Hello hello) {
        if (session != null) {
            refuse(connection, session, CloseCodes.POLICY, "hello sent twice on one link");
            return session;
        }
        if (!tokens.accepts(hello.token(), hello.agentId())) { // a bound token only for its own agent_id
            // Issue 19: name the agent_id it claimed, so an operator finds the rig; peer text, so one line and short.
            refuseAs(connection, connection.getRemoteSocketAddress() + " (claims agent_id " + oneLine(hello.agentId())
                    + ")", CloseCodes.UNAUTHORIZED, "missing or wrong token");
            return null;
        }
        // Issue 14.4: a slot is taken by a valid hello only, so silent or unauthenticated sockets cannot lock real
        // agents out (the listener bounds those on its own).
        if (open.incrementAndGet() > maxAgents) {
            open.decrementAndGet();
            refuse(connection, null, CloseCodes.TRY_AGAIN_LATER, "agent connection limit reached");
            return null;
        }
        AgentSession fresh = new AgentSession(connection, codec, hello.agentId(), hello.devices());
        AgentSession older = links.attach(fresh);
        share.joined();
        if (older != null) {
            older.markReplaced();
            LOG.info("{} - newer link replaces the older one", hello.agentId());
            older.connection().close(CloseCodes.NORMAL, "replaced by a newer link from the same agent_id");
        }
        // Lists the goodbye so that agents send it only to gateways that understand it (PROTOCOL.md §3). On a shared
        // store the mark is the cluster's: the agent may have moved here from another gateway.
        long lastSeq = links.welcomeMark(hello.agentId(), writer.agentHighWater(hello.agentId()));
        connection.send(codec.encode(new Welcome(lastSeq, List.of(Welcome.GOODBYE))));
        LOG.info("{} - hello from {} with {} devices", hello.agentId(), connection.getRemoteSocketAddress(),
                hello.devices().size());
        links.resumed(fresh);
        return fresh;
    }

    private void status(WebSocket connection, AgentSession session, StatusFrame frame) {
        if (session == null) {
            refuse(connection, null, CloseCodes.POLICY, "status before hello");
            return;
        }
        if (!accepting || !connection.isOpen()) {
            // Not acked: the agent resends it. A closing link (refused with 1013 below) must not store later
            // frames: the gateway dedups by the highest agent seq, so storing N+1 after refusing N would turn the
            // agent's resend of N into a "duplicate" and lose it. The agent resends all of them on its next link.
            return;
        }
        if (!rate.tryTake(session.agentId())) {
            // Issue 7: refused, not dropped. The uplink treats the error frame as a refusal: it backs off, reconnects
            // and resends from welcome.last_seq + 1, so the status stays in the agent's spool and nothing is lost.
            refuse(connection, session, CloseCodes.TRY_AGAIN_LATER,
                    "more than " + rate.maxPerSecond() + " statuses per second; resend later");
            return;
        }
        String deviceId = frame.status().deviceId();
        if (!links.mayReport(session.agentId(), deviceId)) {
            // PROTOCOL.md §3: neither stored nor acked, link open; the agent keeps it spooled (AgentLinks logs it).
            session.refused(frame.seq(), deviceId,
                    deviceId + " is owned by " + links.owner(deviceId).orElse("another agent"));
            return;
        }
        received.add(frame.status().status());
        session.reportsFor(deviceId);
        if (!share.tryHold(session.held())) {
            // Issue 14.4: this link holds more than its share of a half-full writer queue; only it is refused.
            refuse(connection, session, CloseCodes.TRY_AGAIN_LATER, "over this agent's share of the gateway's"
                    + " store queue; resend later");
            return;
        }
        WriteCommand.Receipt receipt = new TimedReceipt(session, System.nanoTime(), ackLatency);
        if (!writer.submit(new WriteCommand.AgentStatus(session.agentId(), frame.seq(), frame.status(), receipt))) {
            session.held().release();
            refuse(connection, session, CloseCodes.TRY_AGAIN_LATER, "gateway overloaded; resend later");
        }
    }

    /**
     * PROTOCOL.md §3 goodbye: a planned stop. The agent's devices go offline now ("agent stopped") instead of
     * after the grace period, and the close that follows starts no grace period.
     */
    private void goodbye(WebSocket connection, AgentSession session, Goodbye goodbye) {
        if (session == null) {
            refuse(connection, null, CloseCodes.POLICY, "goodbye before hello");
            return;
        }
        LOG.info("{} - goodbye ({}); its devices go offline now", session.agentId(),
                goodbye.reason() == null ? "no reason given" : oneLine(goodbye.reason()));
        links.goodbye(session);
        connection.close(CloseCodes.NORMAL, "goodbye");
    }

    /** Peer text in a log line: one line, printable, bounded (CR/LF would forge log lines). */
    static String oneLine(String text) {
        return OneLine.of(text.replaceAll("\\p{Cntrl}+", " "), 80);
    }

    private boolean tooLarge(String text) {
        // A char is at most 3 UTF-8 bytes here, so only long texts need the exact count.
        return text.length() > maxFrameBytes
                || text.length() * 3L > maxFrameBytes && text.getBytes(StandardCharsets.UTF_8).length > maxFrameBytes;
    }

    /** Refuses with the contract's error frame and a close ({@code session} null before a hello). */
    public void refuse(WebSocket connection, AgentSession session, int code, String reason) {
        refuseAs(connection, session == null ? String.valueOf(connection.getRemoteSocketAddress()) : session.agentId(),
                code, reason);
    }

    private void refuseAs(WebSocket connection, String who, int code, String reason) {
        LOG.warn("{} - refused: {}", who, reason);
        if (connection.isOpen()) {
            connection.send(codec.encode(new ErrorFrame(reason)));
            connection.close(code, CloseCodes.reason(reason));
        }
    }
}
