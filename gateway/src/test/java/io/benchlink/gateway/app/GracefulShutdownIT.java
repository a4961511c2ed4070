package io.benchlink.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.ChildGateway;
import io.benchlink.gateway.testing.Subscriber;
import io.benchlink.gateway.testing.TestAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM mid-stream (PROTOCOL.md §2, issue 8): exit 0 quickly, subscribers get 1001, nothing acknowledged is lost. */
@Timeout(120)
class GracefulShutdownIT {
    @TempDir
    Path dir;

    @Test
    void sigtermMidStreamExitsZeroClosesSubscribersWith1001AndKeepsEveryAcknowledgedStatus() throws Exception {
        Set<Long> acked;
        try (ChildGateway gateway = ChildGateway.start(dir)) {
            Subscriber subscriber = Subscriber.connect(gateway.uri("/ws/devices/all"));
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
            Thread sender = new Thread(() -> {
                for (long i = 1; i <= 20_000 && agent.isOpen(); i++) {
                    agent.sendStatus(i, TestAgent.result("a", StatusKind.SUCCESS, "n" + i));
                }
            }, "test-sender");
            sender.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.acked().size() >= 300);

            long start = System.nanoTime();
            int exit = gateway.terminate();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(exit).as("exit code after SIGTERM; log: %s", gateway.log()).isZero();
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            assertThat(subscriber.awaitClosed(Duration.ofSeconds(5)).code()).isEqualTo(1001);
            // the agent link is closed too, but while it floods frames its close frame may not get through (1006);
            // the contract promises 1001 to subscribers, and the agent's resume is checked below
            assertThat(agent.awaitCloseCode()).isIn(1001, 1006);
            sender.join(10_000);
            acked = new HashSet<>(agent.acked());
            // the child's output is read by another thread: wait until it has read the last lines
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(gateway.log())
                    .anyMatch(line -> line.contains("SIGTERM received"))
                    .anyMatch(line -> line.contains("gateway stopped")));
        }

        try (ChildGateway restarted = ChildGateway.start(dir)) {
            TestAgent agent = TestAgent.hello(restarted.uri("/ws/agents"), "rig-1", null, List.of("a"));
            long lastSeq = agent.lastSeq();
            assertThat(lastSeq).as("welcome.last_seq covers every ack")
                    .isGreaterThanOrEqualTo(acked.stream().mapToLong(Long::longValue).max().orElseThrow());

            Subscriber replay = Subscriber.connect(restarted.uri("/ws/devices/all?since=0"));
            await().atMost(Duration.ofSeconds(30)).until(() -> replay.count() >= lastSeq);
            Set<String> stored = new HashSet<>();
            replay.received().stream().filter(o -> !o.get("result").isJsonNull())
                    .forEach(o -> stored.add(o.get("result").getAsString()));
            for (long seq : acked) {
                assertThat(stored).as("acknowledged agent seq %d", seq).contains("n" + seq);
            }

            agent.sendStatus(lastSeq + 1, TestAgent.result("a", StatusKind.FAIL, "resumed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().contains(lastSeq + 1));
            agent.close();
            replay.close();
        }
    }
}
