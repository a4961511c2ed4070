package io.benchlink.gateway.subscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import io.benchlink.common.json.Json;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.RawSocket;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14.4: {@code snapshot=true} to a slow client with many more devices than its buffer holds waits for the
 * client, as the replay does, instead of closing it with 1013.
 */
@Timeout(90)
class SnapshotPacingIT {
    private static final int BUFFER = 100;
    private static final int DEVICES = 2_000;

    @TempDir
    Path dir;

    @Test
    void aSnapshotLargerThanTheBufferReachesASlowClientWhole() throws Exception {
        try (GatewayFixture gateway = new GatewayFixture(dir, GatewayFixture.subscriberBuffer(BUFFER)).start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            String bulky = "x".repeat(3000); // 6 MB of snapshot: more than the kernel buffers hold
            for (int i = 1; i <= DEVICES; i++) {
                agent.sendStatus(i, TestAgent.result("d-" + i, StatusKind.SUCCESS, bulky));
            }
            // Not the store's count: it is the committed one, and the writer hands a batch to the subscribers after
            // its commit; a last batch handed over after the subscription below began lands in its pending live
            // buffer (100) and closed it with 1013 once (full suite, loaded machine). Acks follow that hand-off.
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.acked().size() == DEVICES);
            assertThat(gateway.gateway().store().eventCount()).isEqualTo(DEVICES);
            agent.close();

            try (RawSocket slow = RawSocket.open(gateway.uri("/").getPort(), 2048)) {
                assertThat(slow.handshake("/ws/devices/all?snapshot=true")).startsWith("HTTP/1.1 101");
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // a slow client: reads nothing for a second
                Set<String> devices = new HashSet<>();
                while (devices.size() < DEVICES) {
                    RawSocket.Frame frame = slow.readFrame();
                    assertThat(frame.opcode()).as("a text frame, not close %s", frame.opcode() == 8
                            ? frame.closeCode() + " " + frame.text().substring(2) : "").isEqualTo(1);
                    JsonObject event = Json.parseObject(frame.text());
                    devices.add(event.get("device_id").getAsString());
                }
                assertThat(gateway.gateway().hub().stats().fellBehind.sum()).isZero();
            }
        }
    }
}
