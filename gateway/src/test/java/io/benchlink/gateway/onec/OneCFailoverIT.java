package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both 1C modules' failover between two real gateways, through their Java twins: with a list of two gateways they
 * stay on the first while it works, and when it fails they move to the second and resume with the same stored
 * seq, every event exactly once.
 *
 * <p>What this shows and what not: a seq is only valid on another gateway when both serve one store
 * (docs/PROTOCOL.md §5, the PostgreSQL cluster). Two gateways on their own SQLite files do not share one, so here
 * the second gateway starts on a copy of the first one's store taken after the first stopped, which is what a
 * shared store gives the cluster. It proves the modules' algorithm (next address on a failed connection, same
 * seq); that two live gateways of a cluster hand out one seq order is for the cluster's own tests (PostgreSQL).
 */
@Timeout(120)
class OneCFailoverIT {
    private static final Duration UNIT = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void bothModulesMoveToTheNextGatewayWhenOneFailsAndResumeWithTheSameSeq() throws Exception {
        OneCEventHandling webSocket = new OneCEventHandling();
        OneCEventHandling polling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        GatewayFixture first = new GatewayFixture(Files.createDirectories(dir.resolve("first"))).withHttp().start();
        GatewayFixture second = new GatewayFixture(dir.resolve("second")).withHttp();
        List<OneCGateway> gateways = List.of(gateway(first), gateway(second));
        try (OneCWebSocketClient client = new OneCWebSocketClient(gateways, "all", null, webSocket, UNIT,
                Socket::new)) {
            OneCHttpPolling poller = new OneCHttpPolling(gateways, null, polling, 100);
            client.connect();
            TestAgent agent = TestAgent.hello(first.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            awaitAcked(agent, send(agent, 0, 10, sent));
            awaitResults(webSocket, 10);
            poller.poll("all", 10);
            assertThat(client.gatewaysConnected()).as("the first gateway works: the client stays there")
                    .containsOnly(0);
            assertThat(poller.gatewaysAsked()).containsOnly(0);

            // The first gateway fails. Its store goes on at the second (a cluster's shared store; here a copy).
            agent.close();
            first.close();
            copy(first.dataDir(), second.dataDir());
            second.start();
            agent = TestAgent.hello(second.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            assertThat(agent.lastSeq()).as("the second gateway serves the same store").isEqualTo(10);
            awaitAcked(agent, send(agent, 10, 5, sent));
            agent.close();

            awaitResults(webSocket, 15);
            poller.poll("all", 10);
            assertThat(results(webSocket)).containsExactlyElementsOf(sent);
            assertThat(results(polling)).containsExactlyElementsOf(sent);
            assertThat(webSocket.handled()).extracting(OneCEventHandling.Event::seq).isSorted().doesNotHaveDuplicates();
            assertThat(client.gatewaysConnected()).as("moved to the second gateway and stayed there").endsWith(1);
            assertThat(poller.gatewaysAsked()).as("asked the first, found it down, went on at the second")
                    .containsSubsequence(0, 0, 1);
        } finally {
            first.close(); // closing twice is harmless
            second.close();
        }
    }

    /** The settings' entry for a test gateway; port 1 (refused) while it is not running. */
    private static OneCGateway gateway(GatewayFixture fixture) {
        return new OneCGateway(() -> "ws://127.0.0.1:" + port(fixture, false),
                () -> "http://127.0.0.1:" + port(fixture, true));
    }

    private static int port(GatewayFixture fixture, boolean http) {
        if (fixture.gateway() == null) {
            return 1;
        }
        return http ? fixture.gateway().httpPort() : fixture.gateway().port();
    }

    private static long send(TestAgent agent, long after, int count, List<String> sent) {
        long seq = after;
        for (int i = 0; i < count; i++) {
            seq++;
            String result = "r" + seq;
            agent.sendStatus(seq, TestAgent.result("bench-07", StatusKind.SUCCESS, result));
            sent.add(result);
        }
        return seq;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    /** The test results among what was handled: the gateway adds its own online/offline events. */
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
