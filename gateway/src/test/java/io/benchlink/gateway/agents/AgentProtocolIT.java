package io.benchlink.gateway.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class AgentProtocolIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir, c -> c.toBuilder().agentTokens(List.of("agent-secret")).maxFrameBytes(4096).build()).start();
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private URI agents() {
        return gateway.uri("/ws/agents");
    }

    @Test
    void welcomesWithTheHighestStoredSeqOfThatAgent() throws Exception {
        TestAgent first = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        assertThat(first.lastSeq()).isZero();
        for (int i = 1; i <= 41; i++) {
            first.sendStatus(i, TestAgent.result("b", StatusKind.SUCCESS, "n" + i));
        }
        await().until(() -> first.acked().size() == 41);
        first.closeBlocking();
        TestAgent again = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        assertThat(again.lastSeq()).isEqualTo(41);
        TestAgent other = TestAgent.hello(agents(), "rig-8", "agent-secret", List.of("c"));
        assertThat(other.lastSeq()).isZero();
        again.close();
        other.close();
    }

    @Test
    void acknowledgesARepeatedSeqAgainButStoresAndBroadcastsItOnce() throws Exception {
        Subscriber all = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent agent = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        agent.sendStatus(1, TestAgent.result("b", StatusKind.FAIL, "first"));
        agent.sendStatus(1, TestAgent.result("b", StatusKind.FAIL, "first again"));
        agent.sendStatus(2, TestAgent.result("b", StatusKind.SUCCESS, "second"));
        agent.sendStatus(1, TestAgent.result("b", StatusKind.FAIL, "late resend"));
        await().until(() -> agent.ackOrder().size() == 4);
        assertThat(agent.ackOrder()).containsExactly(1L, 1L, 2L, 1L);
        await().until(() -> all.count() == 2);
        assertThat(all.received()).extracting(o -> o.get("result").getAsString()).containsExactly("first", "second");
        assertThat(gateway.gateway().store().eventCount()).isEqualTo(2);
        agent.close();
    }

    @Test
    void aNewerLinkFromTheSameAgentReplacesTheOlderOne() throws Exception {
        TestAgent older = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        TestAgent newer = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        assertThat(older.awaitCloseCode()).isEqualTo(1000);
        newer.sendStatus(1, TestAgent.result("b", StatusKind.SUCCESS, "via newer"));
        await().until(() -> newer.acked().contains(1L));
        newer.close();
    }

    @Test
    void refusesAWrongTokenWithAnErrorFrameAndClose() throws Exception {
        TestAgent agent = new TestAgent(agents());
        agent.connectBlocking(5, TimeUnit.SECONDS);
        agent.send("{\"type\":\"hello\",\"agent_id\":\"rig\",\"token\":\"guess\",\"devices\":[]}");
        assertThat(agent.awaitCloseCode()).isEqualTo(4401);
        assertThat(agent.errors()).containsExactly("missing or wrong token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"type\":\"status\",\"seq\":1,\"status\":{\"status\":\"success\",\"device_id\":\"b\"}}",
        "{\"type\":\"hello\",\"agent_id\":\"rig 7\"}", "{\"type\":\"ack\",\"seq\":1}", "{\"type\":\"warp\"}"})
    void refusesABadFrameWithAnErrorFrameStoresNothingAndLeavesOthersAlone(String frame) throws Exception {
        Subscriber bystander = Subscriber.connect(gateway.uri("/ws/devices/all"));
        TestAgent good = TestAgent.hello(agents(), "rig-good", "agent-secret", List.of("g"));
        TestAgent bad = new TestAgent(agents());
        bad.connectBlocking(5, TimeUnit.SECONDS);
        bad.send(frame);
        assertThat(bad.awaitCloseCode()).isEqualTo(1008);
        assertThat(bad.errors()).hasSize(1);
        good.sendStatus(1, TestAgent.result("g", StatusKind.SUCCESS, "still fine"));
        await().until(() -> bystander.count() == 1);
        assertThat(gateway.gateway().store().eventCount()).isEqualTo(1);
        assertThat(bystander.isClosedYet()).isFalse();
        good.close();
    }

    @Test
    void refusesBadFramesAfterHelloAndFramesOverTheSizeLimit() throws Exception {
        TestAgent agent = TestAgent.hello(agents(), "rig-7", "agent-secret", List.of("b"));
        agent.send("{\"type\":\"status\",\"seq\":1,\"status\":{\"status\":\"success\",\"device_id\":\"b\",\"result\":\""
                + "x".repeat(5000) + "\"}}");
        assertThat(agent.awaitCloseCode()).isEqualTo(1008);
        assertThat(agent.errors()).singleElement().asString().contains("larger than 4096");

        TestAgent binary = TestAgent.hello(agents(), "rig-8", "agent-secret", List.of("b"));
        binary.send(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertThat(binary.awaitCloseCode()).isEqualTo(1008);

        TestAgent wrongType = TestAgent.hello(agents(), "rig-9", "agent-secret", List.of("b"));
        wrongType.send("{\"type\":\"status\",\"seq\":\"one\",\"status\":{}}");
        assertThat(wrongType.awaitCloseCode()).isEqualTo(1008);
        assertThat(wrongType.errors()).singleElement().asString().startsWith("invalid frame: seq");
        assertThat(gateway.gateway().store().eventCount()).isZero();
    }
}
