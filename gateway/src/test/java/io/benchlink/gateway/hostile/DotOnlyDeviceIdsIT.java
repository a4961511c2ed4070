package io.benchlink.gateway.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.HttpApi;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Device ids made of dots only cannot survive a URL path, so every entry point refuses them (PROTOCOL.md §1). */
@Timeout(60)
class DotOnlyDeviceIdsIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;
    HttpApi http;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).withHttp().start();
        http = new HttpApi(gateway);
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/ws/devices/.", "/ws/devices/..", "/ws/devices/%2E%2E", "/ws/devices/..."})
    void closesASubscriptionToADotOnlyIdWith4400(String path) throws Exception {
        try (RawSocket raw = RawSocket.open(gateway.uri("/").getPort(), 65536)) {
            String answer = raw.handshake(path);
            // Either refused in the handshake as an unknown path or closed with 4400: never subscribed.
            if (answer.startsWith("HTTP/1.1 101")) {
                Subscriber s = new Subscriber(gateway.uri(path));
                s.connectBlocking(5, TimeUnit.SECONDS);
                assertThat(s.awaitClosed(Duration.ofSeconds(5)).code()).isEqualTo(4400);
            } else {
                assertThat(answer).startsWith("HTTP/1.1 404");
            }
        }
    }

    @Test
    void answersADotOnlyIdInTheHttpApiWith400() throws Exception {
        HttpResponse<String> one = http.get("/api/devices/...");
        assertThat(one.statusCode()).isEqualTo(400);
        HttpResponse<String> events = http.get("/api/events?device_id=..");
        assertThat(events.statusCode()).isEqualTo(400);
        assertThat(HttpApi.object(events).get("error").getAsString()).contains("device_id");
    }

    @Test
    void refusesAnAgentStatusForADotOnlyIdWithAnErrorFrameAndStoresNothing() throws Exception {
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        String status = "{\"type\":\"status\",\"seq\":1,\"status\":{\"mac_address\":\"unknown\","
                + "\"serial_number\":\"unknown\",\"status\":\"success\",\"time_start\":null,\"time_end\":null,"
                + "\"updated_at\":\"2026-12-03T10:00:00.000000\",\"result\":\"ok\",\"device_id\":\"..\"}}";
        agent.send(status);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !agent.errors().isEmpty());
        assertThat(agent.errors().get(0)).contains("device_id");
        assertThat(agent.acked()).doesNotContain(1L);
        assertThat(HttpApi.array(http.get("/api/events?since=0"))).isEmpty();
        agent.close();
    }

    @Test
    void refusesAHelloListingADotOnlyDevice() throws Exception {
        TestAgent agent = new TestAgent(gateway.uri("/ws/agents"));
        assertThat(agent.connectBlocking(5, TimeUnit.SECONDS)).isTrue();
        agent.send("{\"type\":\"hello\",\"agent_id\":\"rig-1\",\"devices\":[\".\"]}");
        assertThat(agent.awaitCloseCode()).isNotEqualTo(1000);
        assertThat(agent.errors()).anySatisfy(e -> assertThat(e).contains("devices"));
    }
}
