package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19, docs/PROTOCOL.md §3: an agent that says goodbye has its devices taken offline at once, as stopped. */
@Timeout(60)
class AgentGoodbyeIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void aGoodbyeTakesTheAgentsDevicesOfflineAtOnceAsStoppedAndClosesTheLinkNormally() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().offlineGrace(Duration.ofSeconds(60)).build()).start();
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a", "b"));

        agent.send("{\"type\":\"goodbye\",\"reason\":\"agent stopped\"}");

        assertThat(agent.awaitCloseCode()).isEqualTo(1000);
        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() == 2); // far inside the 60 s grace
        assertThat(all.received()).allSatisfy(o -> {
            assertThat(o.get("status").getAsString()).isEqualTo("offline");
            assertThat(o.get("result").getAsString()).isEqualTo(AgentLinks.STOPPED);
        });
        assertThat(agent.errors()).isEmpty();
        assertThat(gateway.gateway().links().linksLost()).isZero();
    }

    @Test
    void aGoodbyeOfADeviceOwnedByAnotherAgentLeavesThatDeviceAlone() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().offlineGrace(Duration.ofSeconds(60)).build()).start();
        TestAgent owner = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent other = TestAgent.hello(gateway.uri("/ws/agents"), "rig-2", null, List.of("a", "b"));

        other.send("{\"type\":\"goodbye\"}");

        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() >= 1);
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> all.count() == 1);
        assertThat(all.received().get(0).get("device_id").getAsString()).isEqualTo("b");
        owner.close();
    }

    @Test
    void aGoodbyeBeforeHelloIsRefused() throws Exception {
        gateway = new GatewayFixture(dir).start();
        TestAgent agent = new TestAgent(gateway.uri("/ws/agents"));
        assertThat(agent.connectBlocking()).isTrue();

        agent.send("{\"type\":\"goodbye\"}");

        assertThat(agent.awaitCloseCode()).isEqualTo(1008);
        assertThat(agent.errors()).containsExactly("goodbye before hello");
    }
}
