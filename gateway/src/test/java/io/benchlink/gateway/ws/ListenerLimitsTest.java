package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentEndpoint;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.subscribe.SubscriberHub;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.WebSocketImpl;
import org.java_websocket.WebSocketListener;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket listener's limits at their edges, on a real listener on 127.0.0.1 with a SQLite store in a temporary
 * directory: the places for agent links without a hello (issue 14.4) and how they are given back, the handshake's
 * size bound to the byte, which token wins, and that pongs and frames count as hearing from a peer.
 */
@Timeout(60)
class ListenerLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final WallClock clock = WallClock.of(ZoneId.of("UTC"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private SqliteEventStore store;
    private StoreWriter writer;
    private SubscriberHub hub;
    private AgentLinks links;
    private AgentEndpoint agents;
    private HandshakeGuard guard;
    private GatewaySocketServer server;

    @BeforeEach
    void start() throws Exception {
        store = SqliteEventStore.open(dir);
        hub = new SubscriberHub(store, scheduler, 10);
        writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, hub);
        writer.start();
        links = new AgentLinks((task, delay) -> { }, Duration.ofSeconds(30), writer::submit, clock);
        agents = new AgentEndpoint(new AgentFrameCodec(clock), clock, writer, links,
                TokenCheck.forAgents(List.of()), 1000, 100, 1000);
        // a deadline far away: nothing here is closed by the sweep (which only runs when a test calls it)
        listen(Duration.ofMinutes(5));
    }

    /** (Re)starts the listener with this handshake deadline. */
    private void listen(Duration handshakeTimeout) throws Exception {
        if (server != null) {
            server.shutdown(1000);
        }
        server = new GatewaySocketServer(new InetSocketAddress("127.0.0.1", 0),
                new GatewaySocketServer.Settings(1000, 100, 1), hub, agents, new TokenCheck(List.of("sub-secret")),
                new BrowserOrigins(List.of()), scheduler);
        guard = new HandshakeGuard(new DefaultWebSocketServerFactory(), handshakeTimeout, agents);
        server.setWebSocketFactory(guard);
        server.startAndWait();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        server.shutdown(1000);
        writer.close();
        store.close();
        scheduler.shutdownNow();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + server.getPort() + pathAndQuery);
    }

    private RawSocket silentAgent() throws Exception {
        RawSocket socket = RawSocket.open(server.getPort(), 0);
        clients.add(socket);
        assertThat(socket.handshake("/ws/agents")).startsWith("HTTP/1.1 101");
        return socket;
    }

    private TestAgent helloFrom(String agentId) throws Exception {
        TestAgent agent = TestAgent.hello(uri("/ws/agents"), agentId, null, List.of());
        clients.add(agent::close);
        return agent;
    }

    private static String hello(String agentId) {
        return "{\"type\":\"hello\",\"agent_id\":\"" + agentId + "\",\"token\":null,\"devices\":[]}";
    }

    @Test
    void agentLinksWithoutAHelloHoldAtMost64PlacesAndAHelloOrACloseGivesOneBack() throws Exception {
        List<RawSocket> silent = new ArrayList<>();
        for (int i = 1; i < GatewaySocketServer.MAX_AWAITING_HELLO; i++) {
            silent.add(silentAgent());
        }
        TestAgent late = new TestAgent(uri("/ws/agents"));
        clients.add(late::close);
        assertThat(late.connectBlocking(5, TimeUnit.SECONDS)).isTrue(); // the 64th place

        TestAgent refused = new TestAgent(uri("/ws/agents"));
        clients.add(refused::close);
        refused.connectBlocking(5, TimeUnit.SECONDS); // may already report closed: the refusal follows the 101
        assertThat(refused.awaitCloseCode()).isEqualTo(CloseCodes.TRY_AGAIN_LATER);
        assertThat(refused.errors()).containsExactly("too many agent links without a hello; retry later");

        late.send(hello("rig-late"));
        assertThat(late.lastSeq()).as("welcomed").isZero();
        assertThat(helloFrom("rig-new").isOpen()).as("the hello gave its place back").isTrue();

        silent.get(0).close();
        await().atMost(WAIT).ignoreExceptions().until(() -> helloFrom("rig-after-close").isOpen());
    }

    @Test
    void aHandshakeOfExactly16KibibytesIsTakenAndOneByteMoreClosesTheSocket() throws Exception {
        assertThat(answerTo(upgradeOfSize(HandshakeGuard.MAX_HANDSHAKE_BYTES))).startsWith("HTTP/1.1 101");
        assertThat(answerTo(upgradeOfSize(HandshakeGuard.MAX_HANDSHAKE_BYTES + 1))).isEmpty();
    }

    /** The response head to a raw request, or "" when the server hangs up without one. */
    private String answerTo(byte[] request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request);
            java.io.InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            try {
                for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) >= 0; ) {
                    head.append((char) b);
                }
            } catch (java.net.SocketException e) {
                // reset: hung up while our request was still arriving
            }
            return head.toString();
        }
    }

    /** A complete upgrade request to /ws/devices/all of exactly {@code size} bytes; its answer is skipped. */
    private static byte[] upgradeOfSize(int size) {
        String head = "GET /ws/devices/all HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                + "Sec-WebSocket-Version: 13\r\nX-Padding: ";
        String tail = "\r\n\r\n";
        String request = head + "p".repeat(size - head.length() - tail.length()) + tail;
        byte[] bytes = request.getBytes(StandardCharsets.US_ASCII);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    @Test
    void aTokenInTheQueryWinsOverTheAuthorizationHeader() throws Exception {
        Subscriber subscriber = new Subscriber(uri("/ws/devices/all?token=wrong"),
                Map.of("Authorization", "Bearer sub-secret"));
        clients.add(subscriber::close);
        subscriber.connectBlocking(5, TimeUnit.SECONDS);

        assertThat(subscriber.awaitClosed(WAIT).code()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }

    private Peer peerOfTheOnlyConnection() {
        await().atMost(WAIT).until(() -> server.getConnections().size() == 1
                && server.getConnections().iterator().next().getAttachment() != null);
        WebSocket connection = server.getConnections().iterator().next();
        return connection.getAttachment();
    }

    @Test
    void aPongATextAndABinaryFrameEachCountAsHearingFromThePeer() throws Exception {
        Subscriber subscriber = Subscriber.connect(uri("/ws/devices/all?token=sub-secret"));
        clients.add(subscriber::close);
        Peer peer = peerOfTheOnlyConnection();

        long atHandshake = peer.lastSeenNanos;
        new Heartbeat(server, Duration.ofMinutes(1)).run(); // pings; the client answers with a pong
        await().atMost(WAIT).until(() -> peer.lastSeenNanos != atHandshake);

        long afterPong = peer.lastSeenNanos;
        subscriber.send("ignored");
        await().atMost(WAIT).until(() -> peer.lastSeenNanos != afterPong);

        long afterText = peer.lastSeenNanos;
        subscriber.send(ByteBuffer.wrap(new byte[] {1}));
        await().atMost(WAIT).until(() -> peer.lastSeenNanos != afterText);
        assertThat(subscriber.isClosedYet()).isFalse();
    }

    @Test
    void aRefusalCannotBeAnsweredOnAChannelTheGuardDidNotWrap() {
        WebSocketListener listener = (WebSocketListener) java.lang.reflect.Proxy.newProxyInstance(
                WebSocketListener.class.getClassLoader(), new Class<?>[] {WebSocketListener.class},
                (proxy, method, args) -> null);
        WebSocketImpl connection = new WebSocketImpl(listener, new Draft_6455());

        assertThat(HandshakeGuard.answer(connection, 403, "Forbidden", "no")).isFalse();
        assertThat(connection.outQueue).isEmpty();
        assertThat(HandshakeGuard.isPlain(null)).isFalse();
    }
    @Test
    void theListenerReusesItsAddressSendsWithoutDelayAndLeavesLivenessToTheHeartbeat() {
        assertThat(server.isReuseAddr()).isTrue();
        assertThat(server.isTcpNoDelay()).isTrue();
        assertThat(server.getConnectionLostTimeout()).isZero();
    }

    @Test
    void aFrameUpToFourTimesTheAgentLimitReachesTheListener() throws Exception {
        Subscriber subscriber = Subscriber.connect(uri("/ws/devices/all?token=sub-secret"));
        clients.add(subscriber::close);
        Peer peer = peerOfTheOnlyConnection();
        long before = peer.lastSeenNanos;

        subscriber.send("x".repeat(3_900)); // the agent limit is 1000 bytes here; the library's backstop 4000

        await().atMost(WAIT).until(() -> peer.lastSeenNanos != before);
        assertThat(subscriber.isClosedYet()).isFalse();
    }

    @Test
    void aClosedAgentLinkIsNoLongerConnected() throws Exception {
        TestAgent agent = helloFrom("rig-1");
        assertThat(links.connected()).isEqualTo(1);

        agent.closeBlocking();

        await().atMost(WAIT).until(() -> links.connected() == 0);
    }

    @Test
    void theSweepLeavesEveryConnectionWithinItsDeadline() throws Exception {
        TestAgent agent = new TestAgent(uri("/ws/agents"));
        clients.add(agent::close);
        assertThat(agent.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        try (RawSocket raw = RawSocket.open(server.getPort(), 0)) {
            raw.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(WAIT).until(() -> guard.pending() == 2);

            guard.sweep();

            assertThat(guard.pending()).isEqualTo(2);
            assertThat(agent.closedYet()).isFalse();
        }
    }

    @Test
    void oneSweepPastTheDeadlineClosesAndForgetsEachLateConnectionAndLogsOneLineForTheHandshakes()
            throws Exception {
        listen(Duration.ofNanos(1)); // every connection is late at the first sweep
        TestAgent agent = new TestAgent(uri("/ws/agents"));
        clients.add(agent::close);
        assertThat(agent.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        try (RawSocket first = RawSocket.open(server.getPort(), 0);
             RawSocket second = RawSocket.open(server.getPort(), 0);
             io.benchlink.gateway.testing.CapturedLogs logs = new io.benchlink.gateway.testing.CapturedLogs()) {
            first.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            second.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(WAIT).until(() -> guard.pending() == 3);

            guard.sweep();

            assertThat(guard.pending()).isZero();
            assertThat(agent.awaitCloseCode()).isEqualTo(CloseCodes.POLICY);
            assertThat(first.closedByServer()).isTrue();
            assertThat(second.closedByServer()).isTrue();
            guard.sweep(); // nothing left: no second line
            assertThat(logs.lines()).filteredOn(line -> line.contains("did not finish the WebSocket handshake"))
                    .containsExactly("io.benchlink.gateway.ws.HandshakeGuard closed 2 connections that did not"
                            + " finish the WebSocket handshake within 0 s");
        }
    }

    @Test
    void aConnectionThatWentAwayBeforeItsDeadlineIsForgottenByTheNextSweep() throws Exception {
        try (RawSocket raw = RawSocket.open(server.getPort(), 0)) {
            raw.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(WAIT).until(() -> guard.pending() == 1);
        }

        await().atMost(WAIT).until(() -> {
            guard.sweep();
            return guard.pending() == 0;
        });
    }

    @Test
    void aSubscribersFramesAreWrittenOnTheCallingThreadWhenTheSocketTakesThem() throws Exception {
        Subscriber subscriber = Subscriber.connect(uri("/ws/devices/all?token=sub-secret"));
        clients.add(subscriber::close);
        peerOfTheOnlyConnection();
        WebSocketImpl connection = (WebSocketImpl) server.getConnections().iterator().next();
        ConnectionOutlet outlet = new ConnectionOutlet(connection, server, scheduler);
        assertThat(outlet.isOpen()).isTrue();
        assertThat(outlet.toString()).isEqualTo(String.valueOf(connection.getRemoteSocketAddress()));

        outlet.send(textFrame("{\"seq\":1}"), 1);
        outlet.flushHere();

        assertThat(connection.outQueue).as("written here, not left for the selector").isEmpty();
        assertThat(outlet.backlog()).isZero();
        outlet.send(textFrame("{\"seq\":2}"), 1);
        outlet.flush(); // handed to the selector
        await().atMost(WAIT).until(() -> subscriber.count() == 2);
        assertThat(subscriber.seqs()).containsExactly(1L, 2L);
    }

    /** One unmasked text frame, as the server sends it (payload under 126 bytes). */
    private static ByteBuffer textFrame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocate(2 + payload.length);
        frame.put((byte) 0x81).put((byte) payload.length).put(payload).flip();
        return frame;
    }
}
