package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18: a snapshot larger than the subscriber's buffer is paced to the client, not refused with 1013. */
@Timeout(90)
class LargeSnapshotIT {
    private static final int BUFFER = 50;
    private static final int DEVICES = 2000;

    @TempDir
    Path dir;

    @Test
    void aSnapshotOfManyMoreDevicesThanTheBufferHoldsArrivesWholeInSeqOrder() throws Exception {
        try (GatewayFixture gateway = new GatewayFixture(dir, GatewayFixture.subscriberBuffer(BUFFER)).start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            String bulky = "x".repeat(1000); // a snapshot of 2 MB: more than the socket buffers take at once
            for (int i = 1; i <= DEVICES; i++) {
                agent.sendStatus(i, TestAgent.result("dev-" + i, StatusKind.SUCCESS, bulky));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> agent.acked().size() == DEVICES);

            Subscriber subscriber = Subscriber.connect(gateway.uri("/ws/devices/all?snapshot=true"));
            await().atMost(Duration.ofSeconds(60)).failFast("snapshot subscriber was closed", subscriber::isClosedYet)
                    .until(() -> subscriber.count() == DEVICES);
            assertThat(subscriber.seqs()).doesNotHaveDuplicates().isSorted();
            assertThat(gateway.gateway().hub().stats().fellBehind.sum()).isZero();
            subscriber.close();
            agent.close();
        }
    }
}
