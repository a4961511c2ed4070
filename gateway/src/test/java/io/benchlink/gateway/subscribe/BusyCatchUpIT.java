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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md §2: a client still catching up (here a replay from {@code since=0} that waits for it) while more live
 * events arrive than its buffer holds is not closed with 1013: the events it could not hold are read from the store
 * after the replay, and it receives every event once, in seq order.
 */
@Timeout(90)
class BusyCatchUpIT {
    private static final int BUFFER = 100;
    private static final int STORED = 2_000;
    private static final String BULKY = "x".repeat(3000); // 6 MB stored: more than the kernel's socket buffers hold
    private static final int DURING = 500;

    @TempDir
    Path dir;

    @Test
    void liveEventsBeyondTheBufferDuringAReplayReachTheClientFromTheStoreWithoutAClose() throws Exception {
        try (GatewayFixture gateway = new GatewayFixture(dir, GatewayFixture.subscriberBuffer(BUFFER)).start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of());
            for (int i = 1; i <= STORED; i++) {
                agent.sendStatus(i, TestAgent.result("d-" + (i % 50), StatusKind.SUCCESS, "n=" + i + BULKY));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.acked().size() == STORED);

            try (RawSocket slow = RawSocket.open(gateway.uri("/").getPort(), 2048)) {
                assertThat(slow.handshake("/ws/devices/all?since=0")).startsWith("HTTP/1.1 101");
                // It reads nothing yet: the replay stops at its buffer, and five buffers' worth arrive live meanwhile.
                for (int i = STORED + 1; i <= STORED + DURING; i++) {
                    agent.sendStatus(i, TestAgent.result("d-" + (i % 50), StatusKind.SUCCESS, "n=" + i + BULKY));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> agent.acked().size() == STORED + DURING);
                // what makes this a test of the catch-up: had the replay reached the end (into the socket buffers),
                // the client would be live, and a live client that reads nothing is rightly closed with 1013
                assertThat(gateway.gateway().hub().stats().replayed.sum()).as("still replaying").isLessThan(STORED);

                List<Long> seqs = new ArrayList<>();
                Set<String> results = new HashSet<>();
                while (results.size() < STORED + DURING) {
                    RawSocket.Frame frame = slow.readFrame();
                    assertThat(frame.opcode()).as("a text frame, not close %s", frame.opcode() == 8
                            ? frame.closeCode() + " " + frame.text().substring(2) : "").isEqualTo(1);
                    JsonObject event = Json.parseObject(frame.text());
                    seqs.add(event.get("seq").getAsLong());
                    if (event.has("result") && !event.get("result").isJsonNull()) {
                        assertThat(results.add(event.get("result").getAsString())).as("once: %s", event).isTrue();
                    }
                }
                assertThat(seqs).as("in seq order, none twice").isSorted().doesNotHaveDuplicates();
                assertThat(results).as("every status once").hasSize(STORED + DURING);
                assertThat(gateway.gateway().hub().stats().fellBehind.sum()).isZero();
            }
            agent.close();
        }
    }
}
