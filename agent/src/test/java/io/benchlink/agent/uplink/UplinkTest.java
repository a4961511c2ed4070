package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.protocol.Ack;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.Goodbye;
import io.benchlink.common.protocol.Hello;
import io.benchlink.common.protocol.StatusFrame;
import io.benchlink.common.protocol.Welcome;
import io.benchlink.common.time.WallClock;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.java_websocket.WebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The uplink's state machine against a scripted gateway on loopback (its direct neighbour) and a real spool: the
 * send window and its refill, the contiguous ack floor, the welcome's resend point, backoff caps (recorded through a
 * pinned jitter) and failover. Delivery under faults end to end is in UplinkIT and DeliveryUnderFaultsIT.
 */
@Timeout(60)
class UplinkTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<Long> caps = new CopyOnWriteArrayList<>();
    private Spool spool;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void saysHelloWithItsIdTokenAndDevicesThenDeliversTheSpool() throws Exception {
        ScriptedGateway gateway = gateway();
        append(1, 3);
        Uplink uplink = start(config(List.of(gateway.url()), 16));

        await().atMost(WAIT).until(() -> spool.depth() == 0 && uplink.acked() == 3);
        Hello hello = gateway.hellos.get(0);
        assertThat(hello.agentId()).isEqualTo("rig-07");
        assertThat(hello.token()).isEqualTo("t0ken");
        assertThat(hello.devices()).containsExactly("bench-07", "bench-08");
        assertThat(gateway.received).containsExactly(1L, 2L, 3L);
        assertThat(uplink.sent()).isEqualTo(3);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED);
        assertThat(uplink.gateway()).isEqualTo(gateway.url());
        assertThat(uplink.reconnects()).isZero();
    }

    @Test
    void keepsTheWindowFullAndRefillsOnlyOnceAQuarterOfItIsFree() throws Exception {
        List<WebSocket> link = new CopyOnWriteArrayList<>();
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello) {
                link.add(conn);
                g.send(conn, new Welcome(0));
            }
        });
        append(1, 20);
        start(config(List.of(gateway.url()), 8));

        await().atMost(WAIT).until(() -> gateway.received.size() == 8);
        gateway.send(link.get(0), new Ack(1)); // 7 in flight: above the refill mark of 8 - 8/4 = 6
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> gateway.received.size() == 8);
        gateway.send(link.get(0), new Ack(2)); // 6 in flight: refilled to 8
        await().atMost(WAIT).until(() -> gateway.received.size() == 10);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> gateway.received.size() == 10);
        assertThat(gateway.received).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void aWindowOfOneSendsTheNextStatusAfterEachAckAndTheSpoolEmpties() throws Exception {
        // Acks arrive one round trip apart here, so one can meet the spool writer applying the previous one; before
        // the fix in SpoolWriter.ackDue that could leave the writer's wake-up armed with nothing pending, and the
        // spool kept the acknowledged statuses for up to a minute (this case stalled once under PIT's load).
        ScriptedGateway gateway = gateway();
        append(1, 10);
        start(config(List.of(gateway.url()), 1));

        await().atMost(WAIT).until(() -> spool.depth() == 0);
        assertThat(gateway.received).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void theSpoolLetsGoOnlyUpToTheContiguouslyAcknowledgedSeq() throws Exception {
        List<WebSocket> link = new CopyOnWriteArrayList<>();
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello) {
                link.add(conn);
                g.send(conn, new Welcome(0));
            }
        });
        append(1, 5);
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> gateway.received.size() == 5);

        gateway.send(link.get(0), new Ack(2));
        gateway.send(link.get(0), new Ack(3));
        await().atMost(WAIT).until(() -> uplink.acked() == 2);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> spool.depth() == 5); // 1 is still out

        gateway.send(link.get(0), new Ack(1));
        await().atMost(WAIT).until(() -> spool.depth() == 2);
        gateway.send(link.get(0), new Ack(1)); // a repeated ack counts once
        gateway.send(link.get(0), new Ack(5));
        await().atMost(WAIT).until(() -> uplink.acked() == 4);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> spool.depth() == 2 && uplink.acked() == 4);
        assertThat(spool.readAfter(0, 10)).extracting(r -> r.seq()).containsExactly(4L, 5L);
    }

    @Test
    void aNewLinkResendsFromTheWelcomesLastSeqPlusOne() throws Exception {
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello) {
                g.send(conn, new Welcome(2));
            }
        });
        append(1, 4);
        start(config(List.of(gateway.url()), 16));

        await().atMost(WAIT).until(() -> gateway.received.size() == 2);
        assertThat(gateway.received).containsExactly(3L, 4L);
        await().atMost(WAIT).until(() -> spool.depth() == 2); // 1 and 2 are held by the gateway
    }

    @Test
    void refusalsBackOffWithDoublingCapsAndAWelcomeStartsThemAgain() throws Exception {
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello && hello <= 3) {
                g.send(conn, new ErrorFrame("bad token"));
                conn.close(1008, "refused");
            } else {
                ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
            }
        });
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED);
        assertThat(caps).containsExactly(10L, 20L, 40L);

        gateway.dropConnections();
        await().atMost(WAIT).until(() -> gateway.hellos.size() == 5 && uplink.state() == LinkState.CONNECTED);
        assertThat(caps).containsExactly(10L, 20L, 40L, 10L);
        assertThat(uplink.reconnects()).isEqualTo(4);
    }

    @Test
    void afterAFailedAttemptItTriesTheNextGatewayAndAfterAWorkingLinkTheFirstAgain() throws Exception {
        ScriptedGateway first = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello && hello == 1) {
                g.send(conn, new ErrorFrame("not yet"));
            } else {
                ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
            }
        });
        ScriptedGateway second = gateway();
        Uplink uplink = start(config(List.of(first.url(), second.url()), 16));

        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED);
        assertThat(uplink.gateway()).isEqualTo(second.url());
        second.dropConnections();
        await().atMost(WAIT).until(() -> first.hellos.size() == 2 && uplink.state() == LinkState.CONNECTED);
        assertThat(uplink.gateway()).isEqualTo(first.url());
        assertThat(second.hellos).hasSize(1);
    }

    @Test
    void aGatewayThatGivesNoWelcomeWithinTheConnectTimeoutIsLeft() throws Exception {
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (hello > 1) {
                ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
            }
        });
        append(1, 1);
        // The timeout also bounds the second attempt (connect, handshake, welcome), which must succeed; 400 ms was
        // a bound a loaded machine can exceed, and then a third hello follows and both counts below are off.
        UplinkConfig config = new UplinkConfig(List.of(gateway.url()), "rig-07", "t0ken", List.of("bench-07"), 16,
                Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofMillis(10), Duration.ofMillis(100));
        Uplink uplink = start(config);

        await().atMost(WAIT).until(() -> spool.depth() == 0);
        assertThat(gateway.hellos).hasSize(2);
        assertThat(uplink.reconnects()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ack before welcome", "second welcome", "status from gateway", "not json"})
    void aGatewayThatBreaksTheProtocolIsLeftAndTriedAgain(String fault) throws Exception {
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (hello == 1 && frame instanceof Hello) {
                switch (fault) {
                    case "ack before welcome" -> g.send(conn, new Ack(1));
                    case "second welcome" -> {
                        g.send(conn, new Welcome(0));
                        g.send(conn, new Welcome(0));
                    }
                    case "status from gateway" -> g.send(conn, new StatusFrame(1, result("bench-07", 1)));
                    default -> conn.send("{not json");
                }
            } else {
                ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
            }
        });
        append(1, 2);
        Uplink uplink = start(config(List.of(gateway.url()), 16));

        await().atMost(WAIT).until(() -> gateway.hellos.size() == 2 && spool.depth() == 0);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED);
        assertThat(caps).containsExactly(10L);
    }

    @Test
    void startsOnceAndAnUnstartedUplinkClosesAtOnce() throws Exception {
        spool = spool();
        Uplink idle = new Uplink(config(List.of(URI.create("ws://127.0.0.1:9")), 16), spool, WallClock.system());
        assertThat(idle.state()).isEqualTo(LinkState.IDLE);
        assertThat(idle.gateway()).isNull();
        idle.close();
        assertThat(idle.state()).isEqualTo(LinkState.STOPPED);

        ScriptedGateway gateway = gateway();
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        assertThatThrownBy(uplink::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingSaysGoingAwayToTheGateway() throws Exception {
        ScriptedGateway gateway = gateway();
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED);

        uplink.close();
        assertThat(uplink.state()).isEqualTo(LinkState.STOPPED);
        await().atMost(WAIT).until(() -> gateway.closeCodes.contains(1001));
    }

    @Test
    void aStatusSpooledWhileConnectedGoesOutWithoutWaitingForAnAck() throws Exception {
        ScriptedGateway gateway = gateway();
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED);

        append(1, 1);
        await().atMost(WAIT).until(() -> gateway.received.size() == 1);
        append(2, 3);
        await().atMost(WAIT).until(() -> gateway.received.size() == 3 && spool.depth() == 0);
        assertThat(gateway.received).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aStatusRefusedForItsOwnerIsCountedShownAndSentAgainUnderANewSeqAfterTheLinkIsLost() throws Exception {
        List<WebSocket> link = new CopyOnWriteArrayList<>();
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello) {
                link.add(conn);
                g.send(conn, new Welcome(0));
            } else if (frame instanceof StatusFrame status && hello == 1 && status.seq() == 1) {
                g.send(conn, new ErrorFrame("bench-08 is owned by rig-03", 1, "bench-08"));
            } else if (frame instanceof StatusFrame status) {
                g.send(conn, new Ack(status.seq()));
            }
        });
        append(1, 2);
        Uplink uplink = start(config(List.of(gateway.url()), 16));

        await().atMost(WAIT).until(() -> uplink.refused() == 1 && uplink.acked() == 1);
        assertThat(uplink.ownershipConflicts()).extracting(OwnershipConflict::deviceId, OwnershipConflict::owner)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bench-08", "rig-03"));
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED); // one refusal does not end the link

        gateway.dropConnections();
        await().atMost(WAIT).until(() -> gateway.hellos.size() == 2 && spool.depth() == 0);
        assertThat(gateway.received).containsExactly(1L, 2L, 3L); // 1 came back as 3
        assertThat(uplink.ownershipConflicts()).isEmpty();
    }

    @Test
    void aLinkRefusalClosesTheConnectionBeforeTheNextAttempt() throws Exception {
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            if (frame instanceof Hello && hello == 1) {
                g.send(conn, new ErrorFrame("bad token")); // and the gateway leaves the link open
            } else {
                ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
            }
        });
        Uplink uplink = start(config(List.of(gateway.url()), 16));

        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED && gateway.hellos.size() == 2);
        await().atMost(WAIT).until(() -> !gateway.closeCodes.isEmpty()); // the refused link, closed by the agent
    }

    @Test
    void closingAfterAWelcomeThatOffersGoodbyeSaysGoodbyeOnceTheAcksAreIn() throws Exception {
        List<AgentFrame> frames = new CopyOnWriteArrayList<>();
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            frames.add(frame);
            if (frame instanceof Hello) {
                g.send(conn, new Welcome(0, List.of(Welcome.GOODBYE)));
            } else if (frame instanceof StatusFrame status) {
                g.send(conn, new Ack(status.seq()));
            }
        });
        append(1, 2);
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> uplink.acked() == 2);

        uplink.close();
        await().atMost(WAIT).until(() -> gateway.closeCodes.contains(1001));
        assertThat(frames).last().isEqualTo(new Goodbye(Uplink.GOODBYE_REASON));
        assertThat(uplink.state()).isEqualTo(LinkState.STOPPED);
    }

    @Test
    void closingAfterAWelcomeWithoutGoodbyeOnlyCloses() throws Exception {
        List<AgentFrame> frames = new CopyOnWriteArrayList<>();
        ScriptedGateway gateway = gateway().script((g, conn, hello, frame) -> {
            frames.add(frame);
            ScriptedGateway.WELCOME_AND_ACK.answer(g, conn, hello, frame);
        });
        Uplink uplink = start(config(List.of(gateway.url()), 16));
        await().atMost(WAIT).until(() -> uplink.state() == LinkState.CONNECTED);

        uplink.close();
        await().atMost(WAIT).until(() -> gateway.closeCodes.contains(1001));
        assertThat(frames).hasOnlyElementsOfType(Hello.class);
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    private ScriptedGateway gateway() throws InterruptedException {
        ScriptedGateway gateway = new ScriptedGateway().startAndWait();
        closeables.add(() -> gateway.stop(2_000));
        return gateway;
    }

    private Spool spool() {
        Spool opened = Spool.open(SpoolConfig.defaults(dir));
        closeables.add(opened);
        return opened;
    }

    private void append(int from, int to) throws InterruptedException {
        if (spool == null) {
            spool = spool();
        }
        for (int i = from; i <= to; i++) {
            spool.append(result(i % 2 == 0 ? "bench-07" : "bench-08", i));
        }
    }

    /** Backoff 10 ms doubling to 1 s; the jitter records each cap and waits 1 ms, so the tests run fast. */
    private Uplink start(UplinkConfig config) {
        if (spool == null) {
            spool = spool();
        }
        Uplink uplink = new Uplink(config, spool, WallClock.system(), cap -> {
            caps.add(cap);
            return 1;
        });
        closeables.add(uplink);
        uplink.start();
        return uplink;
    }

    private static UplinkConfig config(List<URI> gateways, int window) {
        return new UplinkConfig(gateways, "rig-07", "t0ken", List.of("bench-07", "bench-08"), window,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(10), Duration.ofSeconds(1));
    }
}
