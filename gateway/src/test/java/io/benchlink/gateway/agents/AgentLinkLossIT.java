package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AgentLinkLossIT {
    @TempDir
    Path dir;
    // A reconnect "within the grace period" is a new connection, handshake and hello after the close: 1 s was a bound
    // a loaded machine could pass, and then the offline it must not see came. The waits below are counted from it.
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final Duration PAST_GRACE = GRACE.plusMillis(1500);

    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().offlineGrace(GRACE).build()).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void publishesOfflineForEachDeviceAfterTheGracePeriodAndOnlineAgainOnHello() throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a", "b"));
        agent.closeBlocking();
        await().atMost(GRACE.plusSeconds(10)).until(() -> all.count() == 2);
        assertThat(all.received()).allSatisfy(o -> {
            assertThat(o.get("status").getAsString()).isEqualTo("offline");
            assertThat(o.get("result").getAsString()).isEqualTo("agent connection lost");
        });
        assertThat(all.received()).extracting(o -> o.get("device_id").getAsString()).containsExactlyInAnyOrder("a", "b");

        TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a", "b")).close();
        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() >= 4);
        List<JsonObject> back = all.received().subList(2, 4);
        assertThat(back).allSatisfy(o -> assertThat(o.get("status").getAsString()).isEqualTo("online"));
    }

    @Test
    void aReconnectWithinTheGracePeriodPublishesNoOffline() throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
        agent.closeBlocking();
        TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
        again.sendStatus(1, TestAgent.result("a", StatusKind.SUCCESS, "marker"));
        // Wait past the grace period; the marker proves delivery works, and no offline may come with it.
        await().pollDelay(PAST_GRACE).atMost(PAST_GRACE.plusSeconds(10)).until(() -> all.count() >= 1);
        assertThat(all.received()).extracting(o -> o.get("status").getAsString()).containsExactly("success");
        again.close();
    }

    @Test
    void theOldLinkOfAReplacedAgentNeverTakesItsDevicesOffline() throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent older = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
        TestAgent newer = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
        older.awaitCloseCode();
        newer.sendStatus(1, TestAgent.result("a", StatusKind.FAIL, "marker"));
        await().pollDelay(PAST_GRACE).atMost(PAST_GRACE.plusSeconds(10)).until(() -> all.count() >= 1);
        assertThat(all.received()).extracting(o -> o.get("status").getAsString()).containsExactly("fail");
        newer.close();
    }
}
