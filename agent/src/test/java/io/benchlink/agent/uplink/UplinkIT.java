package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.common.time.WallClock;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The uplink against a real Java-WebSocket server on loopback that speaks PROTOCOL.md §3 ({@link FakeGateway}). */
@Timeout(60)
class UplinkIT {
    private static final String TOKEN = "secret-token";

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void deliversSpooledAndNewStatusesAndEmptiesTheSpool() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        Spool spool = spool();
        append(spool, 1, 50);
        Uplink uplink = uplink(config(List.of(gateway.url()), TOKEN, 16), spool);

        await().until(() -> gateway.storedSeqs().size() == 50 && spool.depth() == 0);
        append(spool, 51, 60); // arrives through the append listener, no polling
        await().until(() -> gateway.storedSeqs().equals(range(1, 60)) && spool.depth() == 0);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED);
        assertThat(uplink.acked()).isEqualTo(60);
        assertThat(gateway.hellos().get(0).agentId()).isEqualTo("rig-07");
        assertThat(gateway.hellos().get(0).devices()).containsExactly("bench-07", "bench-08");
    }

    @Test
    void resendsFromWelcomeLastSeqPlusOneAfterReconnect() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.forgetAbove(10); // this gateway "crashes" before storing anything after seq 10
        Spool spool = spool();
        append(spool, 1, 30);
        uplink(config(List.of(gateway.url()), TOKEN, 64), spool);
        await().until(() -> gateway.receivedCount() == 30 && spool.depth() == 20);

        gateway.forgetAbove(Long.MAX_VALUE);
        gateway.dropConnections();

        await().until(() -> gateway.storedSeqs().size() == 30 && spool.depth() == 0);
        assertThat(gateway.storedSeqs()).isEqualTo(range(1, 30));
        List<FakeGateway.Link> links = gateway.links();
        assertThat(links).hasSize(2);
        assertThat(links.get(1).received).isEqualTo(range(11, 30)); // from welcome.last_seq + 1, in order
    }

    @Test
    void keepsAWindowOfUnacknowledgedStatusesInFlight() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.holdAcks(true);
        Spool spool = spool();
        append(spool, 1, 20);
        uplink(config(List.of(gateway.url()), TOKEN, 8), spool);

        await().until(() -> gateway.receivedCount() == 8);
        await().during(Duration.ofMillis(300)).until(() -> gateway.receivedCount() == 8); // not one more
        assertThat(spool.depth()).isEqualTo(20);

        gateway.holdAcks(false);
        await().until(() -> gateway.storedSeqs().size() == 20 && spool.depth() == 0);
        assertThat(gateway.maxUnacked()).isEqualTo(8);
    }

    @Test
    void failsOverToTheNextGatewayWhenTheFirstIsDown() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        Spool spool = spool();
        append(spool, 1, 5);
        URI down = URI.create("ws://127.0.0.1:" + closedPort());
        Uplink uplink = uplink(config(List.of(down, gateway.url()), TOKEN, 16), spool);

        await().until(() -> gateway.storedSeqs().size() == 5 && spool.depth() == 0);
        assertThat(uplink.gateway()).isEqualTo(gateway.url());
        assertThat(uplink.reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void reconnectsWhenTheGatewayComesBack() throws Exception {
        Spool spool = spool();
        append(spool, 1, 5);
        int port = closedPort();
        Uplink uplink = uplink(config(List.of(URI.create("ws://127.0.0.1:" + port)), TOKEN, 16), spool);
        await().until(() -> uplink.reconnects() >= 2); // refused a few times, backing off

        FakeGateway gateway = new FakeGateway(TOKEN, port).startAndWait();
        closeables.add(() -> gateway.stop(2_000));
        await().until(() -> gateway.storedSeqs().size() == 5 && spool.depth() == 0);
        assertThat(uplink.state()).isEqualTo(LinkState.CONNECTED);
    }

    @Test
    void givesUpOnAGatewayThatNeverWelcomesWithinTheConnectTimeout() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.withholdWelcome(true);
        Spool spool = spool();
        append(spool, 1, 3);
        // The timeout also bounds each later attempt (connect, handshake, welcome): at 300 ms a loaded machine could
        // time out every one of them until the 10 s await below ran out.
        UplinkConfig config = new UplinkConfig(List.of(gateway.url()), "rig-07", TOKEN, List.of("bench-07"), 16,
                Duration.ofSeconds(2), Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(100));
        uplink(config, spool);
        await().until(() -> gateway.hellos().size() >= 2); // the first attempt timed out, a new one said hello

        gateway.withholdWelcome(false);
        await().until(() -> gateway.storedSeqs().size() == 3 && spool.depth() == 0);
    }

    @Test
    void backsOffExponentiallyWhenTheGatewayRefusesTheToken() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        Spool spool = spool();
        append(spool, 1, 3);
        UplinkConfig config = new UplinkConfig(List.of(gateway.url()), "rig-07", "wrong-token",
                List.of("bench-07"), 16, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(100),
                Duration.ofMillis(400));
        Uplink uplink = uplink(config, spool, cap -> cap); // no jitter, so the gaps are exact lower bounds

        await().until(() -> gateway.links().size() >= 4);
        List<FakeGateway.Link> links = gateway.links();
        long[] minGapMillis = {100, 200, 400};
        for (int i = 0; i < 3; i++) {
            long gap = Duration.ofNanos(links.get(i + 1).helloNanos - links.get(i).helloNanos).toMillis();
            assertThat(gap).as("gap before attempt %d", i + 2).isGreaterThanOrEqualTo(minGapMillis[i]);
        }
        assertThat(gateway.storedSeqs()).isEmpty();
        assertThat(spool.depth()).isEqualTo(3);
        assertThat(uplink.state()).isIn(LinkState.BACKOFF, LinkState.CONNECTING);
    }

    @Test
    void aRepeatedStatusAfterAConservativeWelcomeIsHarmless() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.holdAcks(true); // stored but the acks are "lost"
        Spool spool = spool();
        append(spool, 1, 20);
        uplink(config(List.of(gateway.url()), TOKEN, 64), spool);
        await().until(() -> gateway.storedSeqs().size() == 20);

        gateway.welcomeWith(5); // the next welcome under-reports: 6..20 come again
        gateway.dropConnections();
        gateway.holdAcks(false); // the old link is closed: its held acks are lost, not sent

        await().until(() -> spool.depth() == 0);
        assertThat(gateway.storedSeqs()).isEqualTo(range(1, 20));
        assertThat(gateway.links().get(gateway.links().size() - 1).received).isEqualTo(range(6, 20));
    }

    @Test
    void aFullSpoolBlocksItsReaderOnlyUntilTheUplinkDrainsIt() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.holdAcks(true);
        Spool spool = Spool.open(new SpoolConfig(dir, 2_000, Duration.ofDays(30))); // room for about 6 results
        closeables.add(spool);
        uplink(config(List.of(gateway.url()), TOKEN, 64), spool);
        Thread reader = new Thread(() -> {
            try {
                append(spool, 1, 40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-tester-reader");
        reader.start();
        closeables.add(reader::interrupt);

        await().until(spool::full);
        assertThat(reader.isAlive()).isTrue(); // blocked in accept, nothing dropped
        gateway.holdAcks(false);

        await().until(() -> !reader.isAlive() && gateway.storedSeqs().size() == 40 && spool.depth() == 0);
        assertThat(gateway.storedSeqs()).isEqualTo(range(1, 40));
        assertThat(spool.droppedSuperseded()).isZero();
    }

    @Test
    void closeIsBoundedAndSaysGoingAway() throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        Spool spool = spool();
        Uplink uplink = uplink(config(List.of(gateway.url()), TOKEN, 16), spool);
        await().until(() -> uplink.state() == LinkState.CONNECTED);

        assertTimeoutPreemptively(Duration.ofSeconds(6), uplink::close);
        assertThat(uplink.state()).isEqualTo(LinkState.STOPPED);
        await().until(() -> gateway.links().get(0).closeCode == 1001);
    }

    @Test
    void closeIsBoundedWhileBackingOff() throws Exception {
        Spool spool = spool();
        URI down = URI.create("ws://127.0.0.1:" + closedPort());
        UplinkConfig config = new UplinkConfig(List.of(down), "rig-07", TOKEN, List.of("bench-07"), 16,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(30), Duration.ofSeconds(30));
        Uplink uplink = uplink(config, spool, cap -> cap);
        await().until(() -> uplink.state() == LinkState.BACKOFF);

        assertTimeoutPreemptively(Duration.ofSeconds(6), uplink::close);
        assertThat(uplink.state()).isEqualTo(LinkState.STOPPED);
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    @Test
    void statusesRefusedForTheirDeviceStayInTheSpoolWhileOtherDevicesFlowAndArriveOnceTheDeviceIsFree()
            throws Exception {
        FakeGateway gateway = gateway(TOKEN);
        gateway.refuseDevice("bench-08"); // odd seqs: another rig owns bench-08 for now
        Spool spool = spool();
        append(spool, 1, 10);
        Uplink uplink = uplink(config(List.of(gateway.url()), TOKEN, 16), spool);

        await().until(() -> gateway.storedSeqs().equals(List.of(2L, 4L, 6L, 8L, 10L)) && uplink.refused() == 5);
        assertThat(spool.readAfter(0, 100)).as("the refused ones are kept").extracting(r -> r.seq())
                .contains(1L, 3L, 5L, 7L, 9L);
        gateway.refuseDevice(null); // the owner went offline past the grace period

        await().atMost(Duration.ofSeconds(20)).until(() -> gateway.storedSeqs().size() == 10 && spool.depth() == 0);
        assertThat(gateway.storedSeqs().subList(5, 10)).allSatisfy(seq -> assertThat(seq).isGreaterThan(10));
        assertThat(uplink.reconnects()).as("the link stayed up").isZero();
        assertThat(gateway.links()).hasSize(1);
    }

    private FakeGateway gateway(String token) throws InterruptedException {
        FakeGateway gateway = new FakeGateway(token).startAndWait();
        closeables.add(() -> gateway.stop(2_000));
        return gateway;
    }

    private Spool spool() {
        Spool spool = Spool.open(SpoolConfig.defaults(dir));
        closeables.add(spool);
        return spool;
    }

    private static UplinkConfig config(List<URI> gateways, String token, int window) {
        return new UplinkConfig(gateways, "rig-07", token, List.of("bench-07", "bench-08"), window,
                Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(500));
    }

    private Uplink uplink(UplinkConfig config, Spool spool) {
        Uplink uplink = new Uplink(config, spool, WallClock.system());
        return started(uplink);
    }

    private Uplink uplink(UplinkConfig config, Spool spool, LongUnaryOperator jitter) {
        return started(new Uplink(config, spool, WallClock.system(), jitter));
    }

    private Uplink started(Uplink uplink) {
        closeables.add(uplink);
        uplink.start();
        return uplink;
    }

    private static void append(Spool spool, int from, int to) throws InterruptedException {
        for (int i = from; i <= to; i++) {
            spool.append(result(i % 2 == 0 ? "bench-07" : "bench-08", i));
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again: connecting is refused
        }
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }
}
