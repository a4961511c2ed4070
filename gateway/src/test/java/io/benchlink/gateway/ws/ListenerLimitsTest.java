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
    private GatewaySocketServer server;

    @BeforeEach
    void start() throws Exception {
        store = SqliteEventStore.open(dir);
        SubscriberHub hub = new SubscriberHub(store, scheduler, 10);
        writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, hub);
        writer.start();
        AgentLinks links = new AgentLinks((task, delay) -> { }, Duration.ofSeconds(30), writer::submit, clock);
        AgentEndpoint agents = new AgentEndpoint(new AgentFrameCodec(clock), clock, writer, links,
                TokenCheck.forAgents(List.of()), 1000, 100, 1000);
        server = new GatewaySocketServer(new InetSocketAddress("127.0.0.1", 0),
                new GatewaySocketServer.Settings(1000, 100, 1), hub, agents, new TokenCheck(List.of("sub-secret")),
                new BrowserOrigins(List.of()), scheduler);
        // a deadline far away: nothing here is closed by the sweep (which only runs when a test calls it)
        server.setWebSocketFactory(new HandshakeGuard(new DefaultWebSocketServerFactory(), Duration.ofMinutes(5),
                agents));
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
}
