package io.benchlink.gateway.store;

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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class GatewayCrashIT {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesSigkillAndSeqContinuesWithoutReuse() throws Exception {
        Set<Long> acked;
        long total = 3000;
        try (ChildGateway gateway = ChildGateway.start(dir)) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("a"));
            Thread sender = new Thread(() -> {
                for (long i = 1; i <= total && agent.isOpen(); i++) {
                    agent.sendStatus(i, TestAgent.result("a", StatusKind.SUCCESS, "n" + i));
                }
            });
            sender.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> agent.acked().size() >= 500);
            gateway.kill();
            sender.join(10_000);
            acked = new HashSet<>(agent.acked());
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(500);

        try (ChildGateway restarted = ChildGateway.start(dir)) {
            TestAgent agent = TestAgent.hello(restarted.uri("/ws/agents"), "rig-1", null, List.of("a"));
            long lastSeq = agent.lastSeq();
            assertThat(lastSeq).isGreaterThanOrEqualTo(acked.stream().mapToLong(Long::longValue).max().orElseThrow());

            Subscriber replay = Subscriber.connect(restarted.uri("/ws/devices/all?since=0"));
            await().atMost(Duration.ofSeconds(20)).until(() -> replay.count() >= lastSeq);
            Set<String> storedResults = new HashSet<>();
            replay.received().forEach(o -> storedResults.add(o.get("result").getAsString()));
            for (long seq : acked) {
                assertThat(storedResults).as("acknowledged agent seq %d", seq).contains("n" + seq);
            }
            TreeSet<Long> before = new TreeSet<>(replay.seqs());
            assertThat(before).hasSize(replay.count());

            agent.sendStatus(lastSeq + 1, TestAgent.result("a", StatusKind.FAIL, "after crash"));
            await().until(() -> replay.received().stream()
                    .anyMatch(o -> o.get("result").getAsString().equals("after crash")));
            long newSeq = replay.seqs().get(replay.count() - 1);
            assertThat(newSeq).isGreaterThan(before.last());
            agent.close();
        }
    }
}
