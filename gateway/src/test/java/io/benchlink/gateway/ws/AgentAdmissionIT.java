package io.benchlink.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.4: agent links without a hello have their own, smaller bound (and the hello deadline of issue 7), apart
 * from the agent limit, which counts links past a valid hello only (LimitsIT).
 */
@Timeout(60)
class AgentAdmissionIT {
    @TempDir
    Path dir;
    GatewayFixture gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new GatewayFixture(dir).start(); // hello deadline 10 s: the silent links below stay put
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void refusesAgentLinksPastTheBoundForLinksWithoutHelloWith1013AndAdmitsAgainOnceTheyAreGone() throws Exception {
        List<RawSocket> silent = new ArrayList<>();
        for (int i = 0; i < GatewaySocketServer.MAX_AWAITING_HELLO; i++) {
            RawSocket socket = RawSocket.open(gateway.gateway().port(), 65536);
            assertThat(socket.handshake("/ws/agents")).startsWith("HTTP/1.1 101");
            silent.add(socket);
        }
        TestAgent one = new TestAgent(gateway.uri("/ws/agents"));
        one.connectBlocking(5, TimeUnit.SECONDS); // may already report closed: the refusal follows the 101 at once
        assertThat(one.awaitCloseCode()).isEqualTo(1013);
        assertThat(one.errors()).containsExactly("too many agent links without a hello; retry later");

        for (RawSocket socket : silent) {
            socket.close();
        }
        await().untilAsserted(() -> {
            TestAgent real = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("b"));
            assertThat(real.isOpen()).isTrue();
            real.close();
        });
    }
}
