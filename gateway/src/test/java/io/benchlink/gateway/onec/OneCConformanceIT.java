package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import io.benchlink.gateway.store.WriteCommand;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1C kit's WebSocket path against a real gateway, through the Java twins {@link OneCWebSocketClient} and
 * {@link OneCEventHandling} (same URL with since=, same values as ПрочитатьJSON gives, whole-second dates, resume
 * rule, close-code rule, one frame at a time). This proves the gateway's side and the algorithm; it does not prove
 * that the BSL compiles or that the platform calls back as assumed (docs/1c/README.ru.md, "Как это проверено").
 */
@Timeout(120)
class OneCConformanceIT {
    private static final StatusKind[] RESULTS = {StatusKind.SUCCESS, StatusKind.FAIL, StatusKind.ERROR};
    /** One backoff unit; the 1C module uses a second. */
    private static final Duration UNIT = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void handlesEveryResultExactlyOnceAcrossAGatewayRestartAndAForced1013() throws Exception {
        OneCEventHandling handling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        AtomicBoolean reachable = new AtomicBoolean(true);
        try (GatewayFixture gateway = new GatewayFixture(dir, c -> withBuffer(c, 20)).withHttp().start();
             OneCWebSocketClient client = new OneCWebSocketClient(address(gateway, reachable), "all", null, handling,
                     UNIT, OneCWebSocketClient::smallReceiveBufferSocket)) {
            client.connect();
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            sendResults(agent, 0, 20, "", sent);
            awaitHandled(handling, sent.size());

            // Restart: the client is dropped and retries with backoff. It cannot reach the gateway until the
            // results sent meanwhile are stored, so they can only reach it by the since= replay.
            reachable.set(false);
            agent.close();
            gateway.restart();
            agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            long agentSeq = sendResults(agent, agent.lastSeq(), 20, "", sent);
            awaitAcked(agent, agentSeq);
            assertThat(results(handling.handled())).hasSize(20);
            reachable.set(true);
            awaitHandled(handling, sent.size());
            assertThat(client.attempts()).isGreaterThanOrEqualTo(2);
            assertThat(gateway.gateway().hub().stats().fellBehind.sum()).as("no 1013 before it is forced").isZero();

            // Forced 1013: 1C's server call stalls, the gateway's buffer for this subscriber overflows, it closes
            // with 1013; the client resumes from what it processed, not from what it had received.
            handling.closeGate();
            String bulky = " " + "x".repeat(4000); // large frames fill the kernel buffers quickly
            for (int chunk = 0; chunk < 30 && gateway.gateway().hub().stats().fellBehind.sum() == 0; chunk++) {
                agentSeq = sendResults(agent, agentSeq, 100, bulky, sent);
                awaitAcked(agent, agentSeq);
            }
            assertThat(gateway.gateway().hub().stats().fellBehind.sum()).as("gateway closed the stalled subscriber")
                    .isEqualTo(1);
            handling.openGate();
            awaitHandled(handling, sent.size());
            assertThat(client.closeCodes()).contains(1013);
            agent.close();

            List<OneCEventHandling.Event> handled = handling.handled();
            assertThat(handled).extracting(OneCEventHandling.Event::seq).isSorted().doesNotHaveDuplicates();
            assertThat(results(handled)).containsExactlyElementsOf(sent);
            assertThat(handling.errors()).isEmpty();
            assertThat(client.stopped()).isFalse();
        }
    }

    @Test
    void repeatsAnEventWhoseHandlerFailedAndHandlesItOnce() throws Exception {
        OneCEventHandling handling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             OneCWebSocketClient client = new OneCWebSocketClient(address(gateway), "bench-07", null, handling, UNIT,
                     Socket::new)) {
            client.connect();
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            sendResults(agent, 0, 5, "", sent);
            awaitHandled(handling, 5);

            handling.failNextHandlerCalls(2);
            sendResults(agent, 5, 10, "", sent);
            awaitHandled(handling, 15);

            assertThat(results(handling.handled())).containsExactlyElementsOf(sent);
            assertThat(client.attempts()).as("one reconnect per failed handler call").isEqualTo(3);
            agent.close();
        }
    }

    @Test
    void stopsRetryingAfter4401() throws Exception {
        UnaryOperator<GatewayConfig> tokens = c -> c.toBuilder().subscriberTokens(List.of("s3cret")).build();
        OneCEventHandling rightHandling = new OneCEventHandling();
        try (GatewayFixture gateway = new GatewayFixture(dir, tokens).withHttp().start();
             OneCWebSocketClient wrong = new OneCWebSocketClient(address(gateway), "all", "guess", new OneCEventHandling(),
                     UNIT, Socket::new);
             OneCWebSocketClient right = new OneCWebSocketClient(address(gateway), "all", "s3cret",
                     rightHandling, UNIT, Socket::new)) {
            wrong.connect();
            await().atMost(Duration.ofSeconds(10)).until(wrong::stopped);
            assertThat(wrong.closeCodes()).containsExactly(4401);
            // Several backoff periods pass without a second attempt.
            await().during(UNIT.multipliedBy(40)).atMost(UNIT.multipliedBy(60)).until(() -> wrong.attempts() == 1);

            // The same client code with the right token is let in: the refusal above was about the token.
            right.connect();
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            agent.sendStatus(1, TestAgent.result("bench-07", StatusKind.SUCCESS, "r0"));
            await().atMost(Duration.ofSeconds(10)).until(() -> rightHandling.handledCount() == 1);
            assertThat(right.stopped()).isFalse();
            assertThat(right.closeCodes()).isEmpty();
            agent.close();
        }
    }

    /**
     * PROTOCOL.md §2 (store reset): after the gateway's store is recreated (its data directory deleted between two
     * runs), both 1C modules resume with the since= of the old store and still receive every event stored after.
     * Needs the gateway's seq floor (a new store issues seq above every earlier one).
     */
    @Test
    void bothModulesReceiveEveryEventStoredAfterTheGatewaysStoreWasRecreated() throws Exception {
        OneCEventHandling webSocket = new OneCEventHandling();
        OneCEventHandling polling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             OneCWebSocketClient client = new OneCWebSocketClient(address(gateway), "all", null, webSocket, UNIT,
                     Socket::new)) {
            OneCHttpPolling poller = new OneCHttpPolling(address(gateway), null, polling, 100);
            client.connect();
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            awaitAcked(agent, sendResults(agent, 0, 10, "", sent));
            awaitHandled(webSocket, 10);
            poller.poll("all", 10);
            assertThat(results(polling.handled())).containsExactlyElementsOf(sent);
            long oldPosition = webSocket.position("all");

            agent.close();
            gateway.gateway().close();
            deleteContents(gateway.dataDir());
            gateway.start();
            agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            assertThat(agent.lastSeq()).as("the new store knows nothing of the agent").isZero();
            awaitAcked(agent, sendResults(agent, 0, 5, "", sent));
            agent.close();

            await().atMost(Duration.ofSeconds(30)).until(() -> results(webSocket.handled()).size() >= sent.size());
            poller.poll("all", 10);
            assertThat(results(webSocket.handled())).containsExactlyElementsOf(sent);
            assertThat(results(polling.handled())).containsExactlyElementsOf(sent);
            assertThat(webSocket.position("all")).isGreaterThan(oldPosition);
            assertThat(webSocket.errors()).isEmpty();
        }
    }

    @Test
    void warnsBeforeConnectingWhenEventsAfterItsPositionWereRemovedByRetention() throws Exception {
        UnaryOperator<GatewayConfig> shortRetention = c -> new GatewayConfig(c.bind(), c.port(), c.httpPort(),
                c.dataDir(), c.zone(), c.agentTokens(), c.subscriberTokens(), c.allowAnonymous(), c.offlineGrace(),
                c.pingInterval(), c.idleTimeout(), c.subscriberBuffer(), c.maxSubscribers(), c.maxAgents(),
                c.maxFrameBytes(), Duration.ofMillis(1), c.commitBatch());
        OneCEventHandling handling = new OneCEventHandling();
        try (GatewayFixture gateway = new GatewayFixture(dir, shortRetention).withHttp().start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            awaitAcked(agent, sendResults(agent, 0, 4, "", new ArrayList<>()));
            long lastPurged = gateway.gateway().store().latestSeq();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                gateway.gateway().writer().submit(new WriteCommand.Purge());
                return gateway.gateway().store().oldestSeq() == 0;
            });
            List<String> kept = new ArrayList<>();
            awaitAcked(agent, sendResults(agent, 4, 3, "", kept));
            agent.close();

            try (OneCWebSocketClient client = new OneCWebSocketClient(address(gateway), "all", null, handling, UNIT,
                    Socket::new)) {
                client.connect();
                await().atMost(Duration.ofSeconds(10)).until(() -> results(handling.handled()).size() == 3);
                assertThat(client.warnings()).singleElement().asString()
                        .contains("events 1.." + lastPurged + " of all were removed by retention");
            }
            assertThat(results(handling.handled())).hasSize(3);
        }
    }

    @Test
    void ignoresAFrameWhoseConnectionKeyCannotBeRead() throws Exception {
        OneCEventHandling handling = new OneCEventHandling();
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start();
             OneCWebSocketClient client = new OneCWebSocketClient(address(gateway), "all", null, handling, UNIT,
                     Socket::new)) {
            client.connect();
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            awaitAcked(agent, sendResults(agent, 0, 2, "", new ArrayList<>()));
            awaitHandled(handling, 2);
            long position = handling.position("all");

            // A value without a readable key (in 1C: Соединение.Ключ throws) carrying a valid later event.
            client.deliver("not a connection", "{\"mac_address\":\"unknown\",\"serial_number\":\"unknown\","
                    + "\"status\":\"fail\",\"time_start\":null,\"time_end\":null,"
                    + "\"updated_at\":\"2025-08-28T14:54:58.097435\",\"result\":\"late\","
                    + "\"device_id\":\"bench-07\",\"seq\":" + (position + 100) + "}");

            assertThat(handling.position("all")).isEqualTo(position);
            assertThat(results(handling.handled())).doesNotContain("late");
            agent.close();
        }
    }

    /** Sends {@code count} results after agent seq {@code after}; returns the last agent seq used. */
    private static long sendResults(TestAgent agent, long after, int count, String padding, List<String> sent) {
        long seq = after;
        for (int i = 0; i < count; i++) {
            seq++;
            String result = "r" + sent.size() + padding;
            agent.sendStatus(seq, TestAgent.result("bench-07", RESULTS[(int) (seq % RESULTS.length)], result));
            sent.add(result);
        }
        return seq;
    }

    /** The test results among what was handled: the gateway may add its own online/offline events. */
    private static List<String> results(List<OneCEventHandling.Event> handled) {
        return handled.stream().filter(e -> !e.status().equals("online") && !e.status().equals("offline"))
                .map(OneCEventHandling.Event::result).toList();
    }

    private static void awaitHandled(OneCEventHandling handling, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> results(handling.handled()).size() >= count);
        assertThat(results(handling.handled())).hasSize(count);
    }

    private static void awaitAcked(TestAgent agent, long seq) {
        await().atMost(Duration.ofSeconds(20)).until(() -> agent.acked().contains(seq));
    }

    private static List<OneCGateway> address(GatewayFixture gateway) {
        return address(gateway, new AtomicBoolean(true));
    }

    /** Re-read at every attempt, as 1C re-reads its settings: a restarted gateway gets a new port. */
    private static List<OneCGateway> address(GatewayFixture gateway, AtomicBoolean reachable) {
        // Port 1 refuses connections: the gateway is up for agents but out of 1C's reach.
        return List.of(new OneCGateway(() -> "ws://127.0.0.1:" + (reachable.get() ? gateway.gateway().port() : 1),
                () -> "http://127.0.0.1:" + (reachable.get() ? gateway.gateway().httpPort() : 1)));
    }

    /** Deletes what is in the data directory (a new store is created there on the next start). */
    private static void deleteContents(Path dataDir) throws IOException {
        try (Stream<Path> paths = Files.walk(dataDir)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                if (!path.equals(dataDir)) {
                    Files.delete(path);
                }
            }
        }
    }

    private static GatewayConfig withBuffer(GatewayConfig c, int buffer) {
        return c.toBuilder().subscriberBuffer(buffer).build();
    }
}
