package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.protocol.AgentFrameCodec;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentEndpoint;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.auth.BrowserOrigins;
import io.benchlink.gateway.auth.TokenCheck;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.StoreWriter;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.subscribe.SubscriberHub;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.java_websocket.server.DefaultWebSocketServerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket listener as a socket handler (PROTOCOL.md §2, §3, §8): how each handshake is routed and refused
 * (404/403 in the handshake, 4400/4401/1013 right after it), the handshake guard's deadline and size bound, the
 * subscriber and agent paths through a real listener on 127.0.0.1, and the heartbeat. A real SQLite store in a
 * temporary directory stands behind it; no gateway around it.
 */
@Timeout(60)
class GatewaySocketServerTest {
    // The handshake deadline. The "not before its deadline" checks run right after a connect, which on a loaded
    // machine can itself take a few hundred milliseconds; the tests that pass the deadline poll for it.
    private static final Duration SHORT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private final WallClock clock = WallClock.of(ZoneId.of("UTC"));
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private SqliteEventStore store;
    private StoreWriter writer;
    private SubscriberHub hub;
    private AgentEndpoint agents;
    private HandshakeGuard guard;
    private GatewaySocketServer server;

    @BeforeEach
    void start() throws Exception {
        store = SqliteEventStore.open(dir);
        hub = new SubscriberHub(store, scheduler, 2);
        writer = new StoreWriter(store, clock, Duration.ofDays(30), 100, hub);
        writer.start();
        AgentLinks links = new AgentLinks((task, delay) -> { }, Duration.ofSeconds(30), writer::submit, clock);
        agents = new AgentEndpoint(new AgentFrameCodec(clock), clock, writer, links,
                TokenCheck.forAgents(List.of()), 1000, 10, 1000);
        server = new GatewaySocketServer(new InetSocketAddress("127.0.0.1", 0),
                new GatewaySocketServer.Settings(1000, 100, 1), hub, agents, new TokenCheck(List.of("sub-secret")),
                new BrowserOrigins(List.of("https://mes.example")), scheduler);
        guard = new HandshakeGuard(new DefaultWebSocketServerFactory(), SHORT, agents);
        server.setWebSocketFactory(guard);
        server.httpListenerBound(8123);
        server.startAndWait();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown(1000);
        writer.close();
        store.close();
        scheduler.shutdownNow();
    }

    private int port() {
        return server.getPort();
    }

    private URI uri(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
    }

    private Subscriber connect(String pathAndQuery) throws Exception {
        return Subscriber.connect(uri(pathAndQuery));
    }

    private Subscriber connect(String pathAndQuery, Map<String, String> headers) throws Exception {
        Subscriber subscriber = new Subscriber(uri(pathAndQuery), headers);
        assertThat(subscriber.connectBlocking(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return subscriber;
    }

    /** How a connection that the listener closes right after its handshake was closed. */
    private Subscriber.Closed refused(String pathAndQuery) throws Exception {
        Subscriber subscriber = new Subscriber(uri(pathAndQuery));
        subscriber.connectBlocking(5, java.util.concurrent.TimeUnit.SECONDS); // may already be closed again
        return subscriber.awaitClosed(WAIT);
    }

    /** The whole answer to a raw upgrade request with extra header lines, read until the server hangs up. */
    private String rawUpgrade(String path, String extraHeaders) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port() + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: MDEyMzQ1Njc4OWFiY2RlZg==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private void commit(String deviceId) throws Exception {
        var now = clock.now();
        CompletableFuture<StoredEvent> done = new CompletableFuture<>();
        assertThat(writer.submit(new WriteCommand.ClientStatus(null, new DeviceStatus(null, null, StatusKind.SUCCESS,
                null, null, now, "ok", deviceId, 0), done))).isTrue();
        done.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void anUnknownPathIsRefusedWith404InTheHandshake() throws Exception {
        try (RawSocket raw = RawSocket.open(port(), 0)) {
            assertThat(raw.handshake("/ws/nothing")).startsWith("HTTP/1.1 404");
        }
        try (RawSocket raw = RawSocket.open(port(), 0)) {
            assertThat(raw.handshake("/ws/devices/all?x=" + "y".repeat(2100))).startsWith("HTTP/1.1 404");
        }
    }

    @Test
    void aBrowserPageOfAnotherSiteIsRefusedWith403AndAJsonReason() throws Exception {
        String answer = rawUpgrade("/ws/devices/all?token=sub-secret", "Origin: https://evil.example\r\n");

        assertThat(answer).startsWith("HTTP/1.1 403 Forbidden\r\n")
                .contains("Content-Type: application/json; charset=utf-8")
                .endsWith("\r\n\r\n{\"error\":\"origin not allowed (allowed_origins)\"}\n")
                .doesNotContain("404");
    }

    @Test
    void theDashboardOfThisGatewayAndAListedOriginMayUpgrade() throws Exception {
        Subscriber own = connect("/ws/devices/all?token=sub-secret", Map.of("Origin", "http://127.0.0.1:8123"));
        Subscriber listed = connect("/ws/devices/all?token=sub-secret", Map.of("Origin", "https://mes.example"));

        assertThat(own.isOpen()).isTrue();
        assertThat(listed.isOpen()).isTrue();
    }

    @Test
    void anInvalidDeviceIdOrQueryIsClosedWith4400AndItsReason() throws Exception {
        assertThat(refused("/ws/devices/bad%20id")).isEqualTo(new Subscriber.Closed(CloseCodes.INVALID_REQUEST,
                "invalid device_id", true));
        assertThat(refused("/ws/devices/all?x=1").reason()).isEqualTo("unknown query parameter x");
    }

    @Test
    void aSubscriberWithoutTheTokenIsClosedWith4401() throws Exception {
        assertThat(refused("/ws/devices/all")).isEqualTo(new Subscriber.Closed(
                CloseCodes.UNAUTHORIZED, "missing or wrong token", true));
        assertThat(refused("/ws/devices/all?token=wrong").code()).isEqualTo(CloseCodes.UNAUTHORIZED);
    }

    @Test
    void theTokenMayComeAsABearerHeader() throws Exception {
        Subscriber subscriber = connect("/ws/devices/all", Map.of("Authorization", "Bearer sub-secret"));
        commit("bench-1");

        await().atMost(WAIT).until(() -> subscriber.count() == 1);
        assertThat(subscriber.isClosedYet()).isFalse();
    }

    @Test
    void aSubscriberGetsLiveEventsOfItsFilterOnly() throws Exception {
        Subscriber all = connect("/ws/devices/all?token=sub-secret");
        Subscriber one = connect("/ws/devices/bench-2?token=sub-secret");
        await().atMost(WAIT).until(() -> hub.size() == 2);
        commit("bench-1");
        commit("bench-2");

        await().atMost(WAIT).until(() -> all.count() == 2 && one.count() == 1);
        assertThat(one.received().get(0).get("device_id").getAsString()).isEqualTo("bench-2");
        assertThat(all.seqs().get(1)).isEqualTo(one.seqs().get(0));
    }

    @Test
    void sinceReplaysWhatWasStoredBeforeTheConnection() throws Exception {
        commit("bench-1");
        commit("bench-1");
        Subscriber subscriber = connect("/ws/devices/all?since=0&token=sub-secret");

        await().atMost(WAIT).until(() -> subscriber.count() == 2);
        assertThat(subscriber.seqs().get(0)).isLessThan(subscriber.seqs().get(1));
    }

    @Test
    void pastTheSubscriberLimitTheConnectionIsClosedWith1013() throws Exception {
        connect("/ws/devices/all?token=sub-secret");
        connect("/ws/devices/all?token=sub-secret");
        await().atMost(WAIT).until(() -> hub.size() == 2);

        assertThat(refused("/ws/devices/all?token=sub-secret")).isEqualTo(new Subscriber.Closed(CloseCodes.TRY_AGAIN_LATER,
                "subscriber connection limit reached", true));
    }

    @Test
    void aClosedSubscriberFreesItsPlace() throws Exception {
        Subscriber first = connect("/ws/devices/all?token=sub-secret");
        await().atMost(WAIT).until(() -> hub.size() == 1);
        first.closeBlocking();

        await().atMost(WAIT).until(() -> hub.size() == 0);
    }

    @Test
    void textFromASubscriberIsIgnored() throws Exception {
        Subscriber subscriber = connect("/ws/devices/all?token=sub-secret");
        subscriber.send("{\"type\":\"hello\",\"agent_id\":\"rig-1\",\"devices\":[]}");
        subscriber.send(ByteBuffer.wrap(new byte[] {1, 2}));
        commit("bench-1");

        await().atMost(WAIT).until(() -> subscriber.count() == 1);
        assertThat(subscriber.isClosedYet()).isFalse();
    }

    @Test
    void anAgentIsWelcomedAndItsStatusAcknowledged() throws Exception {
        Subscriber agent = connect("/ws/agents");
        agent.send("{\"type\":\"hello\",\"agent_id\":\"rig-1\",\"token\":null,\"devices\":[\"bench-1\"]}");
        await().atMost(WAIT).until(() -> agent.count() == 1);
        assertThat(agent.received().get(0).get("type").getAsString()).isEqualTo("welcome");

        agent.send("{\"type\":\"status\",\"seq\":1,\"status\":{\"status\":\"offline\",\"device_id\":\"bench-1\","
                + "\"result\":\"port lost\"}}");
        await().atMost(WAIT).until(() -> agent.count() == 2);
        assertThat(agent.received().get(1).toString()).isEqualTo("{\"type\":\"ack\",\"seq\":1}");
        assertThat(guard.pending()).isLessThanOrEqualTo(1);
    }

    @Test
    void aBinaryFrameOnAnAgentLinkIsRefusedWith1008() throws Exception {
        Subscriber agent = connect("/ws/agents");
        agent.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));

        Subscriber.Closed closed = agent.awaitClosed(WAIT);
        assertThat(closed.code()).isEqualTo(CloseCodes.POLICY);
        assertThat(closed.reason()).isEqualTo("binary frames are not part of the agent protocol");
    }

    @Test
    void anAgentLinkWithoutAHelloIsClosedWith1008OnceItsDeadlinePassed() throws Exception {
        Subscriber agent = connect("/ws/agents");
        guard.sweep();
        assertThat(agent.isClosedYet()).as("not before its deadline").isFalse();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            guard.sweep();
            return agent.isClosedYet();
        });
        assertThat(agent.awaitClosed(WAIT).code()).isEqualTo(CloseCodes.POLICY);
        assertThat(agent.received()).singleElement().extracting(o -> o.get("message").getAsString())
                .asString().startsWith("no hello within");
        assertThat(guard.pending()).isZero();
    }

    @Test
    void aSocketThatNeverFinishesItsHandshakeIsClosedOnceItsDeadlinePassed() throws Exception {
        try (RawSocket raw = RawSocket.open(port(), 0)) {
            raw.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(WAIT).until(() -> guard.pending() == 1);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                guard.sweep();
                return guard.pending() == 0;
            });
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void aSubscriberThroughItsHandshakeIsForgottenByTheSweep() throws Exception {
        connect("/ws/devices/all?token=sub-secret");
        guard.sweep();

        assertThat(guard.pending()).isZero();
    }

    @Test
    void aHandshakeRequestOverSixteenKibibytesClosesTheSocket() throws Exception {
        try (RawSocket raw = RawSocket.open(port(), 0)) {
            String head = "GET /ws/devices/all HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
                    + "p".repeat(HandshakeGuard.MAX_HANDSHAKE_BYTES) + "\r\n";
            raw.write(head.getBytes(StandardCharsets.US_ASCII));

            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void whileStoppingNewHandshakesGet404AndShutdownTellsSubscribers1001() throws Exception {
        Subscriber subscriber = connect("/ws/devices/all?token=sub-secret");
        server.beginStopping();
        try (RawSocket raw = RawSocket.open(port(), 0)) {
            assertThat(raw.handshake("/ws/devices/all?token=sub-secret")).startsWith("HTTP/1.1 404");
        }
        server.shutdown(1000);

        assertThat(subscriber.awaitClosed(WAIT)).isEqualTo(new Subscriber.Closed(CloseCodes.GOING_AWAY,
                "gateway shutting down", true));
    }

    @Test
    void theHeartbeatDropsASilentConnectionAndPingsTheOthers() throws Exception {
        Subscriber subscriber = connect("/ws/devices/all?token=sub-secret");
        new Heartbeat(server, Duration.ofMinutes(1)).run();
        assertThat(subscriber.isClosedYet()).isFalse();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
            new Heartbeat(server, Duration.ofMillis(1)).run();
            return subscriber.isClosedYet();
        });
        assertThat(subscriber.awaitClosed(WAIT).code()).isEqualTo(1006);
    }
}
