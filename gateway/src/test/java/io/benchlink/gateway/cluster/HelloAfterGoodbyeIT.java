package io.benchlink.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.PostgresServer;
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
 * docs/PROTOCOL.md §3 goodbye on a cluster, as on one gateway: the goodbye's "agent stopped" offline is published
 * once, and a later hello (on the same or the other gateway) brings the devices back online once with "agent
 * connection restored". Before, the cluster's sweep restored only devices a lost link had taken offline, so after a
 * goodbye they came back only with their next status.
 */
@Timeout(120)
class HelloAfterGoodbyeIT {
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    GatewayFixture a;
    GatewayFixture b;

    @BeforeEach
    void start() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        a = new GatewayFixture(dir.resolve("a"), c -> c.toBuilder().store(url).offlineGrace(GRACE).build()).start();
        b = new GatewayFixture(dir.resolve("b"), c -> c.toBuilder().store(url).offlineGrace(GRACE).build()).start();
    }

    @AfterEach
    void stop() {
        b.close();
        a.close();
    }

    private static List<String> events(Subscriber subscriber) {
        return subscriber.received().stream().map(o -> o.get("device_id").getAsString() + " "
                + o.get("status").getAsString() + " " + o.get("result").getAsString()).toList();
    }

    private void goodbyeThenHelloAt(GatewayFixture second) throws Exception {
        Subscriber all = Subscriber.connect(b.uri("/ws/devices/all"));
        TestAgent first = TestAgent.hello(a.uri("/ws/agents"), "rig-07", null, List.of("bench-07", "bench-17"));
        first.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "before the stop"));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.acked().contains(1L));
        first.send("{\"type\":\"goodbye\",\"reason\":\"agent stopped\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> events(all).contains("bench-17 offline agent stopped"));

        TestAgent again = TestAgent.hello(second.uri("/ws/agents"), "rig-07", null, List.of("bench-07", "bench-17"));
        await().atMost(Duration.ofSeconds(15)).until(() -> events(all).containsAll(List.of(
                "bench-07 online agent connection restored", "bench-17 online agent connection restored")));
        // sweeps keep running every second: none may publish a second online
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> true);
        again.sendStatus(2, TestAgent.result("bench-07", StatusKind.SUCCESS, "after the restart"));
        await().atMost(Duration.ofSeconds(10)).until(() -> events(all).contains("bench-07 success after the restart"));

        assertThat(events(all).subList(0, 3)).containsExactlyInAnyOrder("bench-07 success before the stop",
                "bench-07 offline agent stopped", "bench-17 offline agent stopped");
        assertThat(events(all).subList(3, events(all).size())).containsExactlyInAnyOrder(
                "bench-07 online agent connection restored", "bench-17 online agent connection restored",
                "bench-07 success after the restart");
        assertThat(events(all).get(events(all).size() - 1)).isEqualTo("bench-07 success after the restart");
        assertThat(all.seqs()).isSorted().doesNotHaveDuplicates();
        again.close();
        all.close();
    }

    @Test
    void aHelloAtTheSameGatewayAfterAGoodbyeBringsTheDevicesBackOnlineOnce() throws Exception {
        goodbyeThenHelloAt(a);
    }

    @Test
    void aHelloAtTheOtherGatewayAfterAGoodbyeBringsTheDevicesBackOnlineOnce() throws Exception {
        goodbyeThenHelloAt(b);
    }
}
