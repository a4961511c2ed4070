package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.agent.spool.SpoolRecord;
import io.benchlink.common.protocol.AgentFrame;
import io.benchlink.common.protocol.ErrorFrame;
import io.benchlink.common.protocol.StatusFrame;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The window of statuses in flight on its own, on the uplink thread's side: a real spool in a temp dir, and the link
 * replaced by a list of sent frames (its direct neighbour) that the test can make refuse. No sockets, no threads
 * apart from the spool's writer; acks and refusals are fed in by hand.
 */
@Timeout(30)
class SpoolFeedTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final URI GATEWAY = URI.create("ws://127.0.0.1:9/ws/agents");

    @TempDir
    Path dir;
    private Spool spool;
    private final SendWindow window = new SendWindow();
    private final List<Long> sentSeqs = new ArrayList<>();
    private boolean linkUp = true;
    private boolean connected = true;

    @AfterEach
    void close() {
        if (spool != null) {
            spool.close();
        }
    }

    @Test
    void aWelcomeLetsTheSpoolGoUpToTheGatewaysLastSeqAndSendingResumesAfterIt() throws Exception {
        SpoolFeed feed = feed(8, 5);
        feed.welcomed(2, GATEWAY);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(3L, 4L, 5L);

        feed.fill();
        assertThat(sentSeqs).containsExactly(3L, 4L, 5L);
        assertThat(feed.sent()).isEqualTo(3);
        assertThat(window.inFlight()).isEqualTo(3);
    }

    @Test
    void fillsTheWindowAndRefillsOnlyOnceAQuarterIsFree() throws Exception {
        SpoolFeed feed = feed(8, 20);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        assertThat(sentSeqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

        feed.ack(1, GATEWAY); // 7 in flight, above the refill mark 8 - 8/4 = 6
        assertThat(sentSeqs).hasSize(8);
        feed.ack(2, GATEWAY); // 6 in flight: refilled to 8
        assertThat(sentSeqs).hasSize(10).endsWith(9L, 10L);
        assertThat(window.inFlight()).isEqualTo(8);
    }

    @Test
    void aWindowOfOneSendsTheNextStatusAfterEachAck() throws Exception {
        SpoolFeed feed = feed(1, 3);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        assertThat(sentSeqs).containsExactly(1L);
        feed.fill(); // full: nothing more
        assertThat(sentSeqs).containsExactly(1L);

        feed.ack(1, GATEWAY);
        assertThat(sentSeqs).containsExactly(1L, 2L);
        feed.ack(2, GATEWAY);
        feed.ack(3, GATEWAY);
        assertThat(sentSeqs).containsExactly(1L, 2L, 3L);
        assertThat(feed.acked()).isEqualTo(3);
        await().atMost(WAIT).until(() -> spool.depth() == 0);
    }

    @Test
    void aSmallWindowRefillsWhenOneIsFree() throws Exception {
        SpoolFeed feed = feed(3, 6); // 3 - max(1, 3/4) = 2: refill at two in flight
        feed.welcomed(0, GATEWAY);
        feed.fill();
        feed.ack(1, GATEWAY);
        assertThat(sentSeqs).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void onlyTheContiguouslyAcknowledgedSeqsLeaveTheSpool() throws Exception {
        SpoolFeed feed = feed(16, 5);
        feed.welcomed(0, GATEWAY);
        feed.fill();

        feed.ack(2, GATEWAY);
        feed.ack(3, GATEWAY);
        assertThat(feed.acked()).isEqualTo(2);
        feed.ack(4, GATEWAY);
        // 1 is still out: nothing may leave; an append forces the writer to apply any ack it holds
        spool.append(result("bench-07", 6));
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).startsWith(1L, 2L, 3L, 4L);

        feed.ack(1, GATEWAY);
        await().atMost(WAIT).until(() -> spool.depth() == 2);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(5L, 6L);
    }

    @Test
    void aRepeatedOrUnknownAckCountsNothing() throws Exception {
        SpoolFeed feed = feed(16, 2);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        feed.ack(1, GATEWAY);
        feed.ack(1, GATEWAY);
        feed.ack(7, GATEWAY);
        assertThat(feed.acked()).isEqualTo(1);
        assertThat(window.inFlight()).isEqualTo(1);
    }

    @Test
    void aLostLinkStopsTheFillAndTheStatusThatFailedIsNotCountedAsSent() throws Exception {
        SpoolFeed feed = feed(8, 4);
        feed.welcomed(0, GATEWAY);
        linkUp = false;
        feed.fill();
        assertThat(sentSeqs).containsExactly(1L); // the attempt is seen by the link, which then fails it
        assertThat(feed.sent()).isZero();
        assertThat(window.inFlight()).isZero();
    }

    @Test
    void nothingIsSentWhileTheLinkIsNotConnected() throws Exception {
        SpoolFeed feed = feed(8, 4);
        feed.welcomed(0, GATEWAY);
        connected = false;
        feed.fill();
        assertThat(sentSeqs).isEmpty();
    }

    @Test
    void afterAStopNoNewStatusGoesOutButAcksStillCount() throws Exception {
        SpoolFeed feed = feed(2, 4);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        feed.stop();
        feed.ack(1, GATEWAY);
        feed.ack(2, GATEWAY);
        assertThat(sentSeqs).containsExactly(1L, 2L);
        assertThat(feed.acked()).isEqualTo(2);
    }

    @Test
    void aGatewayReportingLessThanItAcknowledgedCannotBringDeletedStatusesBack() throws Exception {
        SpoolFeed feed = feed(16, 4);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        feed.ack(1, GATEWAY);
        feed.ack(2, GATEWAY);
        await().atMost(WAIT).until(() -> spool.depth() == 2);

        feed.welcomed(1, GATEWAY); // a gateway that lost what it acknowledged: 1 and 2 are gone from the spool
        sentSeqs.clear();
        feed.fill();
        assertThat(sentSeqs).containsExactly(3L, 4L); // the spool starts after what it still holds
        feed.ack(3, GATEWAY);
        // the floor (3) is above what was handed to the spool before (2), so 3 leaves
        await().atMost(WAIT).until(() -> spool.depth() == 1);
    }

    @Test
    void refusedStatusesGoBackIntoTheSpoolUnderNewSeqsWhenTheLinkIsLost() throws Exception {
        HeldRefusals held = new HeldRefusals(spool(), window);
        SpoolFeed feed = feed(16, 3, held);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        held.refusedBy(new ErrorFrame("bench-08 is owned by rig-03", 1, "bench-08"), GATEWAY);
        feed.ack(2, GATEWAY);
        feed.ack(3, GATEWAY);
        assertThat(window.floor()).isZero(); // the refused status holds the floor

        feed.requeueRefused(true);
        assertThat(held.isEmpty()).isTrue();
        assertThat(window.floor()).isEqualTo(3);
        await().atMost(WAIT).until(() -> spool.depth() == 1);
        SpoolRecord again = spool.readAfter(0, 10).get(0);
        assertThat(again.seq()).isEqualTo(4);
        assertThat(again.status()).isEqualTo(result("bench-08", 1));
    }

    @Test
    void refusedStatusesThatAreNotDueYetStayHeld() throws Exception {
        HeldRefusals held = new HeldRefusals(spool(), window);
        SpoolFeed feed = feed(16, 2, held);
        feed.welcomed(0, GATEWAY);
        feed.fill();
        held.refusedBy(new ErrorFrame("bench-08 is owned by rig-03", 1, "bench-08"), GATEWAY);

        feed.requeueRefused(false);
        assertThat(held.size()).isEqualTo(1);
        assertThat(spool.lastSeq()).isEqualTo(2);
        assertThat(held.view()).extracting(OwnershipConflict::deviceId).containsExactly("bench-08");
    }

    // ---- fixtures -------------------------------------------------------------------------------------------------

    private Spool spool() {
        if (spool == null) {
            spool = Spool.open(SpoolConfig.defaults(dir));
        }
        return spool;
    }

    private SpoolFeed feed(int size, int statuses) throws InterruptedException {
        return feed(size, statuses, new HeldRefusals(spool(), window));
    }

    private SpoolFeed feed(int size, int statuses, HeldRefusals held) throws InterruptedException {
        for (int i = 1; i <= statuses; i++) {
            spool().append(result(i % 2 == 0 ? "bench-07" : "bench-08", i));
        }
        return new SpoolFeed(spool(), size, window, held, this::send, () -> connected);
    }

    private boolean send(AgentFrame frame) {
        sentSeqs.add(((StatusFrame) frame).seq());
        return linkUp;
    }
}
