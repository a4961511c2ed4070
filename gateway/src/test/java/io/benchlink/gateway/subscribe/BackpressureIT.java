package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(90)
class BackpressureIT {
    @TempDir
    Path dir;

    @Test
    void closesAStalledSubscriberWith1013WhileAHealthyOneReceivesEverything() throws Exception {
        try (GatewayFixture gateway = new GatewayFixture(dir, c -> withBuffer(c, 1500)).start();
             RawSocket stalled = RawSocket.open(0 + portOf(gateway), 2048)) {
            assertThat(stalled.handshake("/ws/devices/all")).startsWith("HTTP/1.1 101");
            Subscriber healthy = Subscriber.connect(gateway.uri("/ws/devices/all"));
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            String bulky = "x".repeat(3000); // large frames fill the stalled socket's kernel buffers quickly
            int total = 5000;
            // Paced in chunks the healthy client keeps up with, so only the stalled one can exceed its buffer.
            for (int i = 1; i <= total; i++) {
                agent.sendStatus(i, TestAgent.result("bench", StatusKind.SUCCESS, bulky));
                if (i % 250 == 0) {
                    int sent = i;
                    await().atMost(Duration.ofSeconds(20)).until(() -> healthy.count() == sent);
                }
            }
            await().atMost(Duration.ofSeconds(60)).failFast("healthy subscriber was closed", healthy::isClosedYet)
                    .until(() -> healthy.count() == total);
            assertThat(healthy.seqs()).doesNotHaveDuplicates().isSorted();
            assertThat(gateway.gateway().hub().stats().fellBehind.sum()).isEqualTo(1);
            // The stalled client never reads its close frame, so its connection is dropped after the close grace.
            await().atMost(Duration.ofSeconds(15)).until(() -> gateway.gateway().hub().size() == 1);
            assertThat(stalled.closedByServer()).isTrue();
            agent.close();
            healthy.close();
        }
    }

    private static int portOf(GatewayFixture gateway) {
        return gateway.uri("/").getPort();
    }

    private static GatewayConfig withBuffer(GatewayConfig c, int buffer) {
        return c.toBuilder().subscriberBuffer(buffer).build();
    }
}
