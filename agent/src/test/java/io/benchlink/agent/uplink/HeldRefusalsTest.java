package io.benchlink.agent.uplink;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.agent.spool.Spool;
import io.benchlink.agent.spool.SpoolConfig;
import io.benchlink.agent.spool.SpoolRecord;
import io.benchlink.common.protocol.ErrorFrame;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statuses the gateway refused one by one, on a real spool in a temp dir and the send window they share with the
 * uplink: what counts as a refusal, the per-device conflict view of the status board, and putting them back.
 */
@Timeout(30)
class HeldRefusalsTest {
    private static final URI GATEWAY = URI.create("ws://127.0.0.1:9/ws/agents");
    private static final String OWNED = "bench-08 is owned by rig-03";

    @TempDir
    Path dir;
    private Spool spool;
    private final SendWindow window = new SendWindow();
    private HeldRefusals held;

    @BeforeEach
    void open() throws InterruptedException {
        spool = Spool.open(SpoolConfig.defaults(dir));
        held = new HeldRefusals(spool, window);
        window.reset(0);
        for (int seq = 1; seq <= 4; seq++) { // 1 and 3 are bench-08's, 2 and 4 bench-07's
            String device = seq % 2 == 0 ? "bench-07" : "bench-08";
            spool.append(result(device, seq));
            window.sent(seq);
            held.sent(seq, device);
        }
    }

    @AfterEach
    void close() {
        spool.close();
    }

    @Test
    void anOwnershipRefusalShowsTheDeviceItsOwnerAndItsStatusesInFlight() {
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);

        assertThat(held.refused()).isEqualTo(1);
        assertThat(held.size()).isEqualTo(1);
        assertThat(held.isEmpty()).isFalse();
        assertThat(held.view()).containsExactly(new OwnershipConflict("bench-08", "rig-03", 2));
    }

    @Test
    void aRefusalOfAStatusNotInFlightOrARepeatedOneIsIgnored() {
        held.refusedBy(new ErrorFrame(OWNED, 9, "bench-08"), GATEWAY);
        assertThat(held.refused()).isZero();
        assertThat(held.isEmpty()).isTrue();

        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        assertThat(held.refused()).isEqualTo(1);
        assertThat(held.size()).isEqualTo(1);
    }

    @Test
    void aRefusalForAnotherReasonIsHeldButIsNoConflict() {
        held.refusedBy(new ErrorFrame("seq 1 is implausibly far above 0", 1, "bench-08"), GATEWAY);
        held.refusedBy(new ErrorFrame("seq 3 is implausibly far above 0", 3, "bench-08"), GATEWAY);

        assertThat(held.refused()).isEqualTo(2);
        assertThat(held.size()).isEqualTo(2);
        assertThat(held.view()).isEmpty();
    }

    @Test
    void aDeviceNotSentOnThisLinkIsNamedByTheRefusal() {
        window.sent(5); // sent, but not recorded with its device
        held.refusedBy(new ErrorFrame("bench-09 is owned by rig-04", 5, "bench-09"), GATEWAY);
        assertThat(held.view()).containsExactly(new OwnershipConflict("bench-09", "rig-04", 0));
    }

    @Test
    void anAckForTheConflictedDeviceEndsTheConflict() {
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        held.acked(2, GATEWAY); // another device's ack changes nothing
        held.publish();
        assertThat(held.view()).extracting(OwnershipConflict::deviceId).containsExactly("bench-08");

        held.acked(3, GATEWAY);
        held.publish();
        assertThat(held.view()).isEmpty();
    }

    @Test
    void aNewLinkHasNothingInFlightSoTheHeldCountDropsToZero() {
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        held.welcomed();
        assertThat(held.view()).containsExactly(new OwnershipConflict("bench-08", "rig-03", 0));
    }

    @Test
    void aHeldStatusIsDueAfterTheRetryDelay() {
        long before = System.nanoTime();
        held.refusedBy(new ErrorFrame(OWNED, 3, "bench-08"), GATEWAY);
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        long retry = TimeUnit.MILLISECONDS.toNanos(HeldRefusals.RETRY_MS);

        assertThat(held.nextDueNanos() - before).isBetween(retry, retry + TimeUnit.SECONDS.toNanos(5));
        assertThat(held.requeue(false)).isTrue(); // nothing due yet: nothing moves
        assertThat(held.size()).isEqualTo(2);
        assertThat(spool.lastSeq()).isEqualTo(4);
    }

    @Test
    void onALostLinkEveryHeldStatusGoesBackUnderANewSeqAndTheConflictEnds() {
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        held.refusedBy(new ErrorFrame(OWNED, 3, "bench-08"), GATEWAY);

        assertThat(held.requeue(true)).isTrue();
        held.publish();
        assertThat(held.isEmpty()).isTrue();
        assertThat(held.view()).isEmpty();
        assertThat(window.pending(1)).isFalse();
        assertThat(window.pending(3)).isFalse();
        assertThat(window.pending(2)).isTrue();
        List<SpoolRecord> records = spool.readAfter(4, 10);
        assertThat(records).extracting(SpoolRecord::seq).containsExactly(5L, 6L);
        assertThat(records).extracting(SpoolRecord::status).containsExactly(result("bench-08", 1),
                result("bench-08", 3));
    }

    @Test
    void aHeldStatusNoLongerInTheSpoolIsDroppedWithoutAResend() throws InterruptedException {
        held.refusedBy(new ErrorFrame(OWNED, 1, "bench-08"), GATEWAY);
        spool.syncWithGateway(1); // the gateway holds it after all: it left the spool

        assertThat(held.requeue(true)).isTrue();
        assertThat(held.isEmpty()).isTrue();
        assertThat(spool.lastSeq()).isEqualTo(4);
    }
}
