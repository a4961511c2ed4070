package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class RefusalsIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().subscriberTokens(List.of("sub-secret"))
                .pingInterval(Duration.ofSeconds(1)).idleTimeout(Duration.ofSeconds(3)).maxSubscribers(3).build()).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private Subscriber.Closed closeOf(String path) throws Exception {
        Subscriber s = new Subscriber(gateway.uri(path));
        s.connectBlocking(5, TimeUnit.SECONDS);
        return s.awaitClosed(Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/ws", "/ws/device/all", "/api/devices", "/ws/agents/x", "/ws/devicesall"})
    void refusesAnUnknownPathWith404InTheHandshake(String path) throws Exception {
        try (RawSocket raw = RawSocket.open(gateway.uri("/").getPort(), 65536)) {
            assertThat(raw.handshake(path)).startsWith("HTTP/1.1 404");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ws/devices/bad%20id?token=sub-secret", "/ws/devices/?token=sub-secret",
        "/ws/devices/a%00b?token=sub-secret", "/ws/devices/all?since=-1&token=sub-secret",
        "/ws/devices/all?since=abc&token=sub-secret", "/ws/devices/all?snapshot=yes&token=sub-secret",
        "/ws/devices/all?sinse=5&token=sub-secret", "/ws/devices/all?since=1&since=2&token=sub-secret",
        "/ws/devices/%D1%8F?token=sub-secret"})
    void closesAnInvalidDeviceIdOrQueryWith4400BeforeAnyData(String path) throws Exception {
        Subscriber.Closed closed = closeOf(path);
        assertThat(closed.code()).isEqualTo(4400);
        assertThat(closed.reason()).isNotBlank();
    }

    @Test
    void closesAMissingOrWrongTokenWith4401() throws Exception {
        assertThat(closeOf("/ws/devices/all").code()).isEqualTo(4401);
        assertThat(closeOf("/ws/devices/all?token=nope").code()).isEqualTo(4401);
    }

    @Test
    void acceptsTheTokenInTheQueryOrAsABearerHeader() throws Exception {
        Subscriber query = Subscriber.connect(gateway.uri("/ws/devices/all?token=sub-secret"));
        Subscriber header = new Subscriber(gateway.uri("/ws/devices/bench-1"),
                Map.of("Authorization", "Bearer sub-secret"));
        assertThat(header.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        assertThat(query.isOpen()).isTrue();
        assertThat(header.isOpen()).isTrue();
        query.close();
        header.close();
    }

    @Test
    void closesSubscribersPastTheConnectionLimitWith1013() throws Exception {
        URI uri = gateway.uri("/ws/devices/all?token=sub-secret");
        Subscriber a = Subscriber.connect(uri);
        Subscriber b = Subscriber.connect(uri);
        Subscriber c = Subscriber.connect(uri);
        assertThat(closeOf("/ws/devices/all?token=sub-secret").code()).isEqualTo(1013);
        a.closeBlocking();
        org.awaitility.Awaitility.await().until(() -> gateway.gateway().hub().size() == 2);
        Subscriber d = Subscriber.connect(uri);
        assertThat(d.isOpen()).isTrue();
        b.close();
        c.close();
        d.close();
    }

    @Test
    void dropsAClientThatNeverAnswersPings() throws Exception {
        try (RawSocket silent = RawSocket.open(gateway.uri("/").getPort(), 65536)) {
            assertThat(silent.handshake("/ws/devices/all?token=sub-secret")).startsWith("HTTP/1.1 101");
            // Idle timeout is 3 s here; a Java-WebSocket client answering pings stays connected meanwhile.
            Subscriber answering = Subscriber.connect(gateway.uri("/ws/devices/all?token=sub-secret"));
            assertThat(silent.closedByServer()).isTrue();
            assertThat(answering.isOpen()).isTrue();
            answering.close();
        }
    }
}
