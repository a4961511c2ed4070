package io.benchlink.gateway.ws;

import io.benchlink.common.text.OneLine;
import io.benchlink.gateway.agents.AgentEndpoint;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.subscribe.SubscriberHub;
import io.benchlink.gateway.subscribe.Subscription;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket listener (PROTOCOL.md §2, §3): routes each handshake by path, refuses unknown paths with 404 and a
 * browser origin not allowed with 403 in the handshake, and everything else right after it with a close code,
 * before any data. Callbacks only decide and hand off; no disk work happens on these threads. They run on the
 * selector thread itself (the patched server's decode-on-selector, issue 18), so a callback that blocked would stall
 * every connection: never wait for a lock held across I/O, the disk or another thread's progress here.
 */
public final class GatewaySocketServer extends WebSocketServer {
    private static final Logger LOG = LoggerFactory.getLogger(GatewaySocketServer.class);

    /** Limits a WebSocket listener needs; a record so tests can shrink them. */
    public record Settings(int maxFrameBytes, int subscriberBuffer, int decoders) {
    }

    /**
     * Issue 14.4: agent links that have not (yet) said a valid hello may hold at most this many places at once; the
     * agent limit ({@code --max-agents}) counts only links past their hello, and the hello deadline
     * ({@code --handshake-timeout}) frees these places quickly.
     */
    public static final int MAX_AWAITING_HELLO = 64;
    /**
     * Issue 14.4: frames (acks, mostly) queued for an agent that does not read them; past this the link is closed with
     * 1013 instead of growing the queue without bound. One ack is one frame; an agent that reads keeps this near 0.
     */
    public static final int MAX_UNREAD_AGENT_FRAMES = 2_000;

    private final SubscriberHub hub;
    private final AgentEndpoint agents;
    private final TokenCheck subscriberTokens;
    private final BrowserOrigins origins;
    /** The HTTP listener's port once bound (the dashboard's origin), -1 before or without one. */
    private volatile int httpPort = -1;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicInteger awaitingHello = new AtomicInteger();
    private final AtomicReference<Exception> startFailure = new AtomicReference<>();
    private volatile boolean stopping;

    public GatewaySocketServer(InetSocketAddress address, Settings settings, SubscriberHub hub, AgentEndpoint agents,
            TokenCheck subscriberTokens, BrowserOrigins origins, ScheduledExecutorService scheduler) {
        // The draft's limit is a backstop several times the agent limit: frames between the two get the
        // contract's error frame from the agent endpoint instead of a bare 1009.
        super(address, settings.decoders(),
                List.<Draft>of(new Draft_6455(Collections.emptyList(), settings.maxFrameBytes() * 4)));
        this.hub = hub;
        this.agents = agents;
        this.subscriberTokens = subscriberTokens;
        this.origins = origins;
        this.settings = settings;
        this.scheduler = scheduler;
        setReuseAddr(true);
        setTcpNoDelay(true);
        // Issue 18: one thread hand-off less per agent frame. Safe because no callback here blocks: they decide and
        // hand off (the store writer's queue refuses rather than waits), and the agents' hello does no disk work.
        setDecodeOnSelector(true);
        // Liveness is ours (Heartbeat): the library's checker uses one interval for ping and drop alike.
        setConnectionLostTimeout(0);
    }

    /** Starts and waits until bound; a bind failure is thrown here, not lost on a background thread. */
    public void startAndWait() throws Exception {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("WebSocket listener did not start within 10 s");
        }
        Exception failure = startFailure.get();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(WebSocket conn, Draft draft,
            ClientHandshake request) throws InvalidDataException {
        Route route = Route.parse(request.getResourceDescriptor());
        if (route.kind() == Route.Kind.UNKNOWN || stopping) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "not found");
        }
        String origin = request.hasFieldValue("Origin") ? request.getFieldValue("Origin") : null;
        if (!origins.allowsUpgrade(origin, request.getFieldValue("Host"), httpPort)) {
            // Issue 14.6: a page on another site must not subscribe (or pose as an agent) through a browser.
            HandshakeGuard.answer((WebSocketImpl) conn, 403, "Forbidden", "origin not allowed (allowed_origins)");
            LOG.debug("{} - WebSocket upgrade refused: origin {} not allowed", conn.getRemoteSocketAddress(),
                    OneLine.of(origin, 100));
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "origin not allowed");
        }
        String header = TokenCheck.bearer(request.getFieldValue("Authorization"));
        Route withToken = route.token() == null && header != null
                ? new Route(route.kind(), route.deviceId(), route.snapshot(), route.since(), header, route.problem())
                : route;
        conn.setAttachment(new Peer(withToken, System.nanoTime()));
        return super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Peer peer = conn.getAttachment();
        Route route = peer.route;
        switch (route.kind()) {
            case INVALID -> conn.close(CloseCodes.INVALID_REQUEST, CloseCodes.reason(route.problem()));
            case AGENTS -> openAgent(conn, peer);
            case DEVICES -> openSubscriber(conn, peer, route);
            default -> conn.close(CloseCodes.SERVER_ERROR, "unexpected route");
        }
    }

    private void openAgent(WebSocket conn, Peer peer) {
        if (awaitingHello.incrementAndGet() > MAX_AWAITING_HELLO) {
            awaitingHello.decrementAndGet();
            agents.refuse(conn, null, CloseCodes.TRY_AGAIN_LATER, "too many agent links without a hello; retry later");
            return;
        }
        peer.startAwaitingHello();
    }

    private void openSubscriber(WebSocket conn, Peer peer, Route route) {
        if (!subscriberTokens.accepts(route.token())) {
            conn.close(CloseCodes.UNAUTHORIZED, "missing or wrong token");
            return;
        }
        Subscription subscription = hub.subscribe(new ConnectionOutlet((WebSocketImpl) conn, this, scheduler),
                route.deviceId(), route.snapshot(), route.since(), settings.subscriberBuffer());
        if (subscription == null) {
            conn.close(CloseCodes.TRY_AGAIN_LATER, "subscriber connection limit reached");
            return;
        }
        peer.subscription = subscription;
        if (!conn.isOpen()) {
            hub.unsubscribe(subscription); // closed while we registered it: onClose may have run already
        }
        LOG.info("{} - subscriber connected from {}{}", route.deviceId() == null ? "all" : route.deviceId(),
                conn.getRemoteSocketAddress(), route.since() > 0 ? " (since " + route.since() + ")" : "");
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Peer peer = conn.getAttachment();
        peer.lastSeenNanos = System.nanoTime();
        if (peer.route.kind() != Route.Kind.AGENTS) {
            return; // PROTOCOL.md §2: text from a subscriber is ignored.
        }
        if (peer.agent != null && conn.isOpen() && unreadFrames(conn) > MAX_UNREAD_AGENT_FRAMES) {
            // Not handed on, so not acked: the agent resends it after it reconnects.
            agents.refuse(conn, peer.agent, CloseCodes.TRY_AGAIN_LATER,
                    "more than " + MAX_UNREAD_AGENT_FRAMES + " acks not read; read acks, then reconnect");
            ConnectionOutlet.dropLater(conn, CloseCodes.TRY_AGAIN_LATER, "acks not read", scheduler);
            return;
        }
        peer.agent = agents.message(conn, peer.agent, message);
        if (peer.agent != null && peer.stopAwaitingHello()) {
            awaitingHello.decrementAndGet();
        }
    }

    /** Frames queued for this connection and not yet written to its socket (Java-WebSocket's out-queue). */
    private static int unreadFrames(WebSocket conn) {
        return ((WebSocketImpl) conn).outQueue.size();
    }

    @Override
    public void onMessage(WebSocket conn, ByteBuffer message) {
        Peer peer = conn.getAttachment();
        peer.lastSeenNanos = System.nanoTime();
        if (peer.route.kind() == Route.Kind.AGENTS) {
            agents.binary(conn, peer.agent);
        }
    }

    @Override
    public void onWebsocketPong(WebSocket conn, Framedata f) {
        Peer peer = conn.getAttachment();
        if (peer != null) {
            peer.lastSeenNanos = System.nanoTime();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Peer peer = conn.getAttachment();
        if (peer == null) {
            return;
        }
        Subscription subscription = peer.subscription;
        if (subscription != null) {
            hub.unsubscribe(subscription);
            LOG.info("{} - subscriber {} disconnected ({} {})", peer.route.deviceId() == null ? "all"
                    : peer.route.deviceId(), conn.getRemoteSocketAddress(), code, reason == null ? "" : reason);
        }
        if (peer.route.kind() == Route.Kind.AGENTS) {
            if (peer.stopAwaitingHello()) {
                awaitingHello.decrementAndGet();
            }
            agents.closed(peer.agent);
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            if (started.getCount() == 0 && startFailure.get() == null) {
                // the listener itself failed while running; the library's own stack trace is switched off in
                // logback.xml because the common case, a busy port at start, is an expected fault
                LOG.error("WebSocket listener failed ({})", ex.toString(), ex);
            }
            startFailure.compareAndSet(null, ex);
            started.countDown();
            return;
        }
        LOG.warn("{} - connection error ({})", conn.getRemoteSocketAddress(), ex.toString());
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    /** The HTTP listener is bound on {@code port}: pages it serves (the dashboard) may open WebSockets here. */
    public void httpListenerBound(int port) {
        httpPort = port;
    }

    /** Stops the handshake path from accepting new connections before the ordered shutdown. */
    public void beginStopping() {
        stopping = true;
    }

    /** PROTOCOL.md §2: everyone is told 1001 on shutdown so clients reconnect with since=. */
    public void shutdown(int timeoutMillis) throws InterruptedException {
        stopping = true;
        stop(timeoutMillis, "gateway shutting down");
    }
}
