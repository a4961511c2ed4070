package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.PostgresServer;
import io.benchlink.gateway.testing.TestAgent;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: both 1C modules' failover between two live gateways of a real cluster (one PostgreSQL), through their
 * Java twins. Unlike {@link OneCFailoverIT}, which starts the second gateway on a copy of the first one's SQLite
 * store, here both gateways run all along and serve one seq order: the 1C subscriber at A sees what agents deliver
 * at B, and when A stops it resumes at B with the same {@code since} and gets every event exactly once, while the
 * agents go on at B (one of them failing over from A).
 */
@Timeout(180)
class OneCClusterFailoverIT {
    private static final Duration UNIT = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void bothModulesResumeAtTheOtherGatewayOfALiveClusterWithEveryEventOnce() throws Exception {
        String url = PostgresServer.shared().createDatabase();
        OneCEventHandling webSocket = new OneCEventHandling();
        OneCEventHandling polling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        GatewayFixture a = new GatewayFixture(dir.resolve("a"), c -> c.toBuilder().store(url).build()).withHttp();
        GatewayFixture b = new GatewayFixture(dir.resolve("b"), c -> c.toBuilder().store(url).build()).withHttp();
        a.start();
        b.start();
        List<OneCGateway> gateways = List.of(gateway(a), gateway(b));
        try (OneCWebSocketClient client = new OneCWebSocketClient(gateways, "all", null, webSocket, UNIT,
                Socket::new)) {
            OneCHttpPolling poller = new OneCHttpPolling(gateways, null, polling, 100);
            client.connect();
            TestAgent atA = TestAgent.hello(a.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            TestAgent atB = TestAgent.hello(b.uri("/ws/agents"), "rig-2", null, List.of("bench-08"));
            awaitAcked(atA, send(atA, "rig-1", "bench-07", 0, 10, sent));
            awaitAcked(atB, send(atB, "rig-2", "bench-08", 0, 10, sent));
            awaitResults(webSocket, 20);
            poller.poll("all", 10);
            assertThat(client.gatewaysConnected()).as("gateway A works, and serves B's events too: 1C stays there")
                    .containsOnly(0);
            assertThat(poller.gatewaysAsked()).containsOnly(0);

            // Gateway A stops. 1C moves to B; meanwhile rig-2 goes on at B and rig-1 fails over to B.
            atA.close();
            a.close();
            awaitAcked(atB, send(atB, "rig-2", "bench-08", 10, 5, sent));
            TestAgent moved = TestAgent.hello(b.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            assertThat(moved.lastSeq()).as("what gateway A committed for rig-1").isEqualTo(10);
            awaitAcked(moved, send(moved, "rig-1", "bench-07", 10, 5, sent));
            awaitResults(webSocket, 30);
            poller.poll("all", 10);

            assertThat(results(webSocket)).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(results(polling)).containsExactlyElementsOf(results(webSocket));
            assertThat(results(webSocket)).filteredOn(r -> r.startsWith("rig-1"))
                    .containsExactlyElementsOf(sent.stream().filter(r -> r.startsWith("rig-1")).toList());
            assertThat(webSocket.handled()).extracting(OneCEventHandling.Event::seq).isSorted().doesNotHaveDuplicates();
            assertThat(polling.handled()).extracting(OneCEventHandling.Event::seq)
                    .isEqualTo(webSocket.handled().stream().map(OneCEventHandling.Event::seq).toList());
            assertThat(client.gatewaysConnected()).as("moved to gateway B and stayed there").endsWith(1);
            assertThat(poller.gatewaysAsked()).as("asked A, found it down, went on at B").containsSubsequence(0, 0, 1);
            moved.close();
            atB.close();
        } finally {
            a.close(); // closing twice is harmless
            b.close();
        }
    }

    /** The settings' entry for a test gateway: the addresses it had, refused once it is stopped. */
    private static OneCGateway gateway(GatewayFixture fixture) {
        return new OneCGateway(() -> "ws://127.0.0.1:" + fixture.gateway().port(),
                () -> "http://127.0.0.1:" + fixture.gateway().httpPort());
    }

    private static long send(TestAgent agent, String agentId, String device, long after, int count,
            List<String> sent) {
        long seq = after;
        for (int i = 0; i < count; i++) {
            seq++;
            String result = agentId + " r" + seq;
            agent.sendStatus(seq, TestAgent.result(device, StatusKind.SUCCESS, result));
            sent.add(result);
        }
        return seq;
    }

    /** The test results among what was handled: the gateways add their own online/offline events. */
    private static List<String> results(OneCEventHandling handling) {
        return handling.handled().stream().filter(e -> !e.status().equals("online") && !e.status().equals("offline"))
                .map(OneCEventHandling.Event::result).toList();
    }

    private static void awaitResults(OneCEventHandling handling, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> results(handling).size() >= count);
    }

    private static void awaitAcked(TestAgent agent, long seq) {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.acked().contains(seq));
    }
}
