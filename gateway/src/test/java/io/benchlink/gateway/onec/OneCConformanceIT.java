package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1C kit against a real gateway: {@link OneCWebSocketClient} and {@link OneCEventHandling} behave as the
 * BSL modules in {@code docs/1c} do (URL with since=, string map per frame, whole-second dates, resume rule,
 * close-code rule), so what holds here holds for the customer's 1C code, up to the platform API itself.
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
        try (GatewayFixture gateway = new GatewayFixture(dir, c -> withBuffer(c, 20)).start();
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
        try (GatewayFixture gateway = new GatewayFixture(dir).start();
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
        try (GatewayFixture gateway = new GatewayFixture(dir, tokens).start();
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

    private static Supplier<String> address(GatewayFixture gateway) {
        return address(gateway, new AtomicBoolean(true));
    }

    /** Re-read at every attempt, as 1C re-reads its settings: a restarted gateway gets a new port. */
    private static Supplier<String> address(GatewayFixture gateway, AtomicBoolean reachable) {
        // Port 1 refuses connections: the gateway is up for agents but out of 1C's reach.
        return () -> "ws://127.0.0.1:" + (reachable.get() ? gateway.gateway().port() : 1);
    }

    private static GatewayConfig withBuffer(GatewayConfig c, int buffer) {
        return c.toBuilder().subscriberBuffer(buffer).build();
    }
}
