package io.benchlink.gateway.onec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.config.GatewayConfig;
import io.benchlink.gateway.store.WriteCommand;
import io.benchlink.gateway.testing.GatewayFixture;
import io.benchlink.gateway.testing.TestAgent;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 1C polling fallback ({@code docs/1c/BenchlinkHttpPolling.bsl}) against a real gateway's HTTP API, through
 * its Java twin {@link OneCHttpPolling}: one {@code poll} call is one run of the 1C scheduled job. Proves the
 * gateway's side and the polling algorithm, not the BSL itself.
 */
@Timeout(60)
class OneCHttpConformanceIT {
    @TempDir
    Path dir;

    @Test
    void pollsEveryResultExactlyOnceAcrossARestartAndTakesOverFromTheWebSocketClient() throws Exception {
        OneCEventHandling handling = new OneCEventHandling();
        List<String> sent = new ArrayList<>();
        try (GatewayFixture gateway = new GatewayFixture(dir).withHttp().start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            long agentSeq = send(agent, 0, 7, sent);

            // The first results arrive over WebSocket; the poller continues from the same position.
            try (OneCWebSocketClient ws = new OneCWebSocketClient(httpAddress(gateway), "all", null, handling,
                    Duration.ofMillis(50), Socket::new)) {
                ws.connect();
                await().atMost(Duration.ofSeconds(10)).until(() -> handling.handledCount() == 7);
            }
            OneCHttpPolling poller = new OneCHttpPolling(httpAddress(gateway), null, handling, 5);
            agentSeq = send(agent, agentSeq, 12, sent);
            awaitAcked(agent, agentSeq);
            // Pages of 5: 5, 5, 2 - the run goes on while pages are full.
            assertThat(poller.poll("all", 50)).isEqualTo(12);

            agent.close();
            gateway.restart();
            agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            agentSeq = send(agent, agent.lastSeq(), 6, sent);
            awaitAcked(agent, agentSeq);
            assertThat(poller.poll("all", 50)).isEqualTo(6);
            assertThat(poller.poll("all", 50)).as("a run with nothing new").isZero();
            agent.close();

            assertThat(handling.handled()).extracting(OneCEventHandling.Event::result).containsExactlyElementsOf(sent);
            assertThat(handling.handled()).extracting(OneCEventHandling.Event::seq).isSorted().doesNotHaveDuplicates();
            assertThat(handling.errors()).isEmpty();
            assertThat(poller.warnings()).isEmpty();
        }
    }

    @Test
    void warnsAboutEventsLostToRetentionAndContinues() throws Exception {
        UnaryOperator<GatewayConfig> shortRetention = c -> c.toBuilder().retention(Duration.ofMillis(1)).build();
        OneCEventHandling handling = new OneCEventHandling();
        try (GatewayFixture gateway = new GatewayFixture(dir, shortRetention).withHttp().start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            long agentSeq = send(agent, 0, 4, new ArrayList<>());
            awaitAcked(agent, agentSeq);
            long lastPurged = gateway.gateway().store().latestSeq();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                gateway.gateway().writer().submit(new WriteCommand.Purge());
                return gateway.gateway().store().oldestSeq() == 0;
            });
            List<String> kept = new ArrayList<>();
            agentSeq = send(agent, agentSeq, 3, kept);
            awaitAcked(agent, agentSeq);
            agent.close();

            OneCHttpPolling poller = new OneCHttpPolling(httpAddress(gateway), null, handling, 100);
            assertThat(poller.poll("all", 10)).isEqualTo(3);

            assertThat(poller.warnings()).singleElement().asString()
                    .contains("events 1.." + lastPurged + " of all were removed by retention");
            assertThat(handling.handled()).extracting(OneCEventHandling.Event::result).containsExactlyElementsOf(kept);
        }
    }

    @Test
    void stopsOn401AndHandlesNothing() throws Exception {
        UnaryOperator<GatewayConfig> tokens = c -> c.toBuilder().subscriberTokens(List.of("s3cret")).build();
        try (GatewayFixture gateway = new GatewayFixture(dir, tokens).withHttp().start()) {
            TestAgent agent = TestAgent.hello(gateway.uri("/ws/agents"), "rig-1", null, List.of("bench-07"));
            awaitAcked(agent, send(agent, 0, 2, new ArrayList<>()));
            agent.close();

            OneCEventHandling wrongHandling = new OneCEventHandling();
            OneCHttpPolling wrong = new OneCHttpPolling(httpAddress(gateway), "guess", wrongHandling, 100);
            assertThatThrownBy(() -> wrong.poll("all", 10)).isInstanceOf(OneCHttpPolling.RefusedException.class)
                    .hasMessageContaining("401");
            assertThat(wrongHandling.handledCount()).isZero();

            OneCEventHandling rightHandling = new OneCEventHandling();
            assertThat(new OneCHttpPolling(httpAddress(gateway), "s3cret", rightHandling, 100).poll("all", 10))
                    .isEqualTo(2);
        }
    }

    /** Sends {@code count} results after agent seq {@code after}; returns the last agent seq used. */
    private static long send(TestAgent agent, long after, int count, List<String> sent) {
        long seq = after;
        for (int i = 0; i < count; i++) {
            seq++;
            String result = "r" + seq;
            agent.sendStatus(seq, TestAgent.result("bench-07", seq % 2 == 0 ? StatusKind.SUCCESS : StatusKind.FAIL,
                    result));
            sent.add(result);
        }
        return seq;
    }

    private static void awaitAcked(TestAgent agent, long seq) {
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.acked().contains(seq));
    }

    /** The settings' gateway list with this one gateway; ports re-read at every request. */
    private static List<OneCGateway> httpAddress(GatewayFixture gateway) {
        return List.of(new OneCGateway(() -> "ws://127.0.0.1:" + gateway.gateway().port(),
                () -> "http://127.0.0.1:" + gateway.gateway().httpPort()));
    }
}
