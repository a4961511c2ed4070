package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.protocol.CloseCodes;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.store.sqlite.SqliteEventStore;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The composition root as a unit: one whole gateway in this JVM on 127.0.0.1, port 0, its SQLite store in a
 * temporary directory (it starts in well under a second). What is checked is the wiring only: which parts run once
 * {@link Gateway#start} returns (store, writer, both listeners, the scheduled heartbeat, purge and handshake sweep,
 * the restart grace), what a failed start leaves behind (nothing), and the shutdown order (1001 to subscribers,
 * then the store closed and the threads gone). The parts' own behaviour has its own tests.
 */
@Timeout(60)
class GatewayTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private Gateway start(UnaryOperator<GatewayConfig.Builder> change) throws Exception {
        gateway = Gateway.start(change.apply(GatewayFixture.defaults(dir).toBuilder()).build());
        return gateway;
    }

    private URI ws(String pathAndQuery) {
        return URI.create("ws://127.0.0.1:" + gateway.port() + pathAndQuery);
    }

    private static long threadsNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name))
                .count();
    }

    /** Writes last statuses into the store before a gateway runs on it (what a previous run left). */
    private void seed(long storedMillis, StatusKind... kinds) {
        try (SqliteEventStore store = SqliteEventStore.open(dir); WriteSession session = store.openWriter()) {
            session.load();
            long seq = session.begin();
            for (StatusKind kind : kinds) {
                seq++;
                session.append(new StoredEvent(seq, "bench-" + seq, kind, "{\"seq\":" + seq + "}"), null, null, 0,
                        storedMillis);
            }
            session.commit(seq);
        }
    }

    @Test
    void startsBothListenersOnTheirPortsWithTheStoreInTheDataDir() throws Exception {
        start(c -> c.httpPort(0));

        assertThat(gateway.port()).isPositive();
        assertThat(gateway.httpPort()).isPositive().isNotEqualTo(gateway.port());
        assertThat(gateway.store().location()).isEqualTo(dir.resolve(SqliteEventStore.FILE_NAME).toString());
        assertThat(gateway.config().port()).isZero();
        assertThat(gateway.clock().zone()).isEqualTo(gateway.config().zone());
        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.httpPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void withoutAnHttpPortOnlyTheWebSocketListenerRuns() throws Exception {
        start(c -> c.httpPort(-1));

        assertThat(gateway.httpPort()).isEqualTo(-1);
        assertThat(gateway.port()).isPositive();
    }

    @Test
    void anAgentsStatusIsStoredAcknowledgedAndStreamedThroughTheWiredParts() throws Exception {
        start(c -> c);
        Subscriber subscriber = Subscriber.connect(ws("/ws/devices/all"));
        await().atMost(WAIT).until(() -> gateway.hub().size() == 1);
        TestAgent agent = TestAgent.hello(ws("/ws/agents"), "rig-1", null, List.of("bench-1"));
        assertThat(gateway.links().connected()).isEqualTo(1);

        agent.sendStatus(1, TestAgent.result("bench-1", StatusKind.FAIL, "bad"));

        await().atMost(WAIT).until(() -> agent.acked().contains(1L));
        await().atMost(WAIT).until(() -> subscriber.received().stream()
                .anyMatch(o -> "fail".equals(o.get("status").getAsString())));
        assertThat(gateway.store().lastStatus("bench-1")).get().extracting(StoredEvent::status)
                .isEqualTo(StatusKind.FAIL);
        assertThat(gateway.agents().receivedByStatus().get(StatusKind.FAIL)).isEqualTo(1);
        assertThat(new String(gateway.metrics().scrape(), StandardCharsets.UTF_8)).contains("benchlink_agents_connected 1");
        agent.close();
        subscriber.close();
    }

    @Test
    void eventsOlderThanRetentionArePurgedRightAtStart() throws Exception {
        seed(1_000, StatusKind.OFFLINE); // stored in 1970

        start(c -> c.retention(Duration.ofDays(1)));

        await().atMost(WAIT).until(() -> gateway.store().eventCount() == 0);
        assertThat(gateway.store().lastStatus("bench-1")).as("the device's last status stays").isPresent();
    }

    @Test
    void devicesNotOfflineWhenTheGatewayStoppedGoOfflineAfterTheGrace() throws Exception {
        seed(System.currentTimeMillis(), StatusKind.ONLINE, StatusKind.OFFLINE);

        start(c -> c.offlineGrace(Duration.ofMillis(200)));

        await().atMost(WAIT).until(() -> gateway.store().lastStatus("bench-1").orElseThrow().status()
                == StatusKind.OFFLINE);
        assertThat(gateway.store().lastStatus("bench-2").orElseThrow().seq()).as("already offline: untouched")
                .isEqualTo(2);
    }

    @Test
    void theHeartbeatDropsASilentConnectionAndKeepsOneThatAnswersPings() throws Exception {
        start(c -> c.pingInterval(Duration.ofMillis(100)).idleTimeout(Duration.ofMillis(400)));
        Subscriber live = Subscriber.connect(ws("/ws/devices/all"));
        try (RawSocket silent = RawSocket.open(gateway.port(), 0)) {
            assertThat(silent.handshake("/ws/devices/all")).startsWith("HTTP/1.1 101");

            assertThat(silent.closedByServer()).isTrue(); // reads (and so ignores) the pings until the drop
        }
        assertThat(live.isClosedYet()).as("pinged and answering").isFalse();
        live.close();
    }

    @Test
    void theHandshakeSweepClosesASocketThatNeverFinishesItsHandshake() throws Exception {
        start(c -> c.security(new SecurityConfig(Duration.ofMillis(300), SecurityConfig.DEFAULT_MAX_STATUS_RATE,
                null, null)));
        try (RawSocket raw = RawSocket.open(gateway.port(), 0)) {
            raw.write("GET /ws/devices/all HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(raw.closedByServer()).isTrue();
        }
        await().atMost(WAIT).until(() -> gateway.handshakes().pending() == 0);
    }

    @Test
    void closeTells1001ThenClosesTheStoreFreesThePortsAndStopsItsThreads() throws Exception {
        long schedulers = threadsNamed("gateway-scheduler");
        long replays = threadsNamed("gateway-replay");
        start(c -> c.httpPort(0));
        int port = gateway.port();
        int httpPort = gateway.httpPort();
        Subscriber subscriber = Subscriber.connect(ws("/ws/devices/all"));
        await().atMost(WAIT).until(() -> gateway.hub().size() == 1);

        gateway.close();
        gateway.close(); // idempotent

        assertThat(subscriber.awaitClosed(WAIT)).isEqualTo(new Subscriber.Closed(CloseCodes.GOING_AWAY,
                "gateway shutting down", true));
        assertThatThrownBy(() -> gateway.store().latestSeq()).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> new Socket("127.0.0.1", httpPort).close()).isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket(port, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        await().atMost(WAIT).until(() -> threadsNamed("gateway-scheduler") == schedulers
                && threadsNamed("gateway-replay") == replays);
        assertThat(gateway.writer().submit(new io.benchlink.gateway.store.WriteCommand.Purge()))
                .as("the writer takes nothing more").isFalse();
    }

    @Test
    void aFailedStartClosesTheStoreAndStopsWhatItStarted() throws Exception {
        long schedulers = threadsNamed("gateway-scheduler");
        AtomicReference<EventStore> opened = new AtomicReference<>();
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            GatewayConfig config = GatewayFixture.defaults(dir).toBuilder().port(taken.getLocalPort()).build();

            assertThatThrownBy(() -> Gateway.start(config, c -> {
                opened.set(SqliteEventStore.open(c.dataDir()));
                return opened.get();
            })).isInstanceOf(java.net.BindException.class);
        }
        assertThatThrownBy(() -> opened.get().latestSeq()).isInstanceOf(StoreException.class);
        await().atMost(WAIT).until(() -> threadsNamed("gateway-scheduler") == schedulers);
    }
}
