package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

/**
 * Issue 14.7, as a new user found it: gateway stopped, then the agent, then the gateway restarted. The devices
 * of an agent that does not come back go offline once after the grace period; those whose agent says hello stay.
 */
@Timeout(60)
class RestartGraceIT {
    // rig-2 must say hello within the grace after the restart (a subscriber's connect and a new agent link): 1 s was a
    // bound a loaded machine could pass, and then bench-3 went offline too.
    private static final Duration GRACE = Duration.ofSeconds(3);
    @TempDir
    Path dir;
    private GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> new GatewayConfig(c.bind(), c.port(), c.httpPort(), c.dataDir(),
                c.zone(), c.agentTokens(), c.subscriberTokens(), c.allowAnonymous(), GRACE,
                c.pingInterval(), c.idleTimeout(), c.subscriberBuffer(), c.maxSubscribers(), c.maxAgents(),
                c.maxFrameBytes(), c.retention(), c.commitBatch())).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void devicesWhoseAgentDoesNotComeBackAfterARestartGoOfflineOnce() throws Exception {
        TestAgent gone = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1", "bench-2"));
        TestAgent back = TestAgent.hello(gateway.uri("/ws/agents"), "rig-2", null, List.of("bench-3"));
        gone.sendStatus(1, TestAgent.result("bench-1", StatusKind.SUCCESS, "ok"));
        gone.sendStatus(2, TestAgent.result("bench-2", StatusKind.OFFLINE, "tester switched off"));
        back.sendStatus(1, TestAgent.result("bench-3", StatusKind.FAIL, "bad"));
        await().until(() -> gone.acked().size() == 2 && back.acked().size() == 1);

        gateway.restart(); // both links are closed by the stopping gateway; only rig-2 comes back
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent again = TestAgent.hello(gateway.uri("/ws/agents"), "rig-2", null, List.of("bench-3"));

        await().atMost(GRACE.plusSeconds(10)).until(() -> all.count() >= 1);
        // Well past a second grace period: nothing more may come (offline once, bench-2 was already offline).
        await().pollDelay(GRACE.multipliedBy(2)).atMost(GRACE.multipliedBy(2).plusSeconds(10)).until(() -> true);
        assertThat(all.received()).extracting(o -> o.get("device_id").getAsString() + " "
                + o.get("status").getAsString() + " " + o.get("result").getAsString())
                .containsExactly("bench-1 offline agent connection lost");
        assertThat(gateway.gateway().store().lastStatus("bench-3").orElseThrow().status())
                .isEqualTo(StatusKind.FAIL);

        TestAgent returning = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> all.count() == 2);
        assertThat(all.received().get(1).get("status").getAsString()).isEqualTo("online");
        again.close();
        returning.close();
    }
}
