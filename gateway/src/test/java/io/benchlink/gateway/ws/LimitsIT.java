package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.config.SecurityConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 7 limits on the WebSocket port: handshake and hello deadline, handshake size, agent count, status rate. */
@Timeout(60)
class LimitsIT {
    // The deadline for handshake and hello. The agents that must make it (a connect, handshake and hello each) missed
    // 1 s on a loaded machine; the sockets that must not make it are closed within it plus a sweep (a quarter of it).
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_AGENTS = 2;
    private static final int RATE = 20;
    private static final int MAX_HTTP_BODY = 2048;

    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().maxAgents(MAX_AGENTS)
                .security(new SecurityConfig(HANDSHAKE_TIMEOUT, RATE, null, null, MAX_HTTP_BODY)).build()).withHttp().start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private int port() {
        return gateway.gateway().port();
    }

    private URI agents() {
        return gateway.uri("/ws/agents");
    }

    @Test
    void closesASocketThatSaysNothingOrSendsHalfAHandshakeAfterTheTimeout() throws Exception {
        Subscriber healthy = Subscriber.connect(gateway.uri("/ws/devices/all"));
        long start = System.nanoTime();
        try (RawSocket silent = RawSocket.open(port(), 65536); RawSocket half = RawSocket.open(port(), 65536)) {
            half.write("GET /ws/devices/all HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(silent.closedByServer()).isTrue();
            assertThat(half.closedByServer()).isTrue();
        }
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).isBetween(HANDSHAKE_TIMEOUT.toMillis() - 100, 8_000L);
        await().until(() -> gateway.gateway().handshakes().pending() == 0);
        assertThat(healthy.isOpen()).isTrue();
        healthy.close();
    }

    @Test
    void closesAHandshakeLargerThan16KibWithoutWaitingForTheTimeout() throws Exception {
        try (RawSocket big = RawSocket.open(port(), 65536)) {
            long start = System.nanoTime();
            big.write(("GET /ws/devices/all HTTP/1.1\r\nX-Pad: " + "a".repeat(40_000)).getBytes(StandardCharsets.US_ASCII));
            assertThat(big.closedByServer()).isTrue();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(HANDSHAKE_TIMEOUT.toMillis());
        }
    }

    @Test
    void anAgentThatNeverSaysHelloGetsAnErrorFrameAndClose1008() throws Exception {
        TestAgent mute = new TestAgent(agents());
        assertThat(mute.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        assertThat(mute.awaitCloseCode()).isEqualTo(1008);
        assertThat(mute.errors()).containsExactly("no hello within " + HANDSHAKE_TIMEOUT.toSeconds() + " s");
        // A subscriber is through once its handshake is done; it is not held to the deadline.
        Subscriber subscriber = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent talking = TestAgent.hello(agents(), "rig-1", null, List.of("b"));
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> subscriber.isOpen() && talking.isOpen());
        subscriber.close();
        talking.close();
    }

    @Test
    void refusesHttpBodiesOverTheConfiguredLimitWith413() throws Exception {
        HttpApi api = new HttpApi(gateway);
        String status = "{\"mac_address\":\"unknown\",\"serial_number\":\"unknown\",\"status\":\"success\","
                + "\"time_start\":null,\"time_end\":null,\"result\":\"%s\",\"device_id\":\"b\"}";
        HttpResponse<String> big = api.post("/api/events", String.format(status, "x".repeat(MAX_HTTP_BODY)));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(big.body()).contains("body larger than 2048 bytes");
        assertThat(api.post("/api/events", String.format(status, "small")).statusCode()).isBetween(200, 201);
        assertThat(gateway.gateway().store().eventCount()).isEqualTo(1);
    }

    @Test
    void refusesAgentsPastTheConnectionLimitWith1013() throws Exception {
        TestAgent a = TestAgent.hello(agents(), "rig-1", null, List.of());
        TestAgent b = TestAgent.hello(agents(), "rig-2", null, List.of());
        TestAgent c = new TestAgent(agents());
        c.connectBlocking(5, TimeUnit.SECONDS);
        c.send("{\"type\":\"hello\",\"agent_id\":\"rig-x\",\"devices\":[]}");
        assertThat(c.awaitCloseCode()).isEqualTo(1013);
        assertThat(c.errors()).containsExactly("agent connection limit reached");
        a.closeBlocking();
        await().untilAsserted(() -> {
            TestAgent d = TestAgent.hello(agents(), "rig-3", null, List.of());
            assertThat(d.isOpen()).isTrue();
            d.close();
        });
        b.close();
    }

    @Test
    void silentAgentLinksDoNotTakeTheSlotsOfAgentsThatSayHello() throws Exception {
        List<TestAgent> silent = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * MAX_AGENTS; i++) {
            TestAgent mute = new TestAgent(agents());
            assertThat(mute.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
            silent.add(mute);
        }
        TestAgent real = TestAgent.hello(agents(), "rig-1", null, List.of("b"));
        assertThat(real.isOpen()).isTrue();
        real.close();
        silent.forEach(TestAgent::close);
    }

    @Test
    void refusesStatusesOverTheRateWithAnErrorFrameAndAcksOnlyWhatItStored() throws Exception {
        Subscriber subscriber = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(agents(), "rig-fast", null, List.of("b"));
        for (int seq = 1; seq <= 3 * RATE; seq++) {
            agent.sendStatus(seq, TestAgent.result("b", StatusKind.SUCCESS, "n" + seq));
        }
        // Java-WebSocket's server closes the socket as soon as its close frame is written (SocketChannelIOHelper
        // .batch, server role) while this flood is still arriving; the unread bytes make the kernel answer with a
        // reset, which can discard the error and close frames before the client reads them: 1006 (seen under load).
        // The uplink treats both alike: it backs off and resends from welcome.last_seq + 1.
        int code = agent.awaitCloseCode();
        assertThat(code).isIn(1013, 1006);
        if (code == 1013) {
            assertThat(agent.errors()).containsExactly("more than 20 statuses per second; resend later");
        }
        // Accepted = handed to the store writer before the refusal; all of them get stored (and acked if the link
        // is still there). The bucket holds one second's worth; a little refill while sending is fine.
        long stored = gateway.gateway().agents().received();
        assertThat(stored).isBetween((long) RATE, 2L * RATE);
        await().until(() -> gateway.gateway().writer().agentHighWater("rig-fast") == stored);
        assertThat(agent.acked()).allMatch(seq -> seq <= stored);
        // What the uplink then does: reconnect after a backoff; welcome.last_seq says where to resume.
        TestAgent again = TestAgent.hello(agents(), "rig-fast", null, List.of("b"));
        assertThat(again.lastSeq()).isEqualTo(stored);
        again.sendStatus(stored + 1, TestAgent.result("b", StatusKind.FAIL, "resent"));
        await().until(() -> again.acked().contains(stored + 1));
        await().until(() -> subscriber.received().stream().anyMatch(o -> o.get("result").getAsString().equals("resent")));
        subscriber.close();
        again.close();
    }
}
