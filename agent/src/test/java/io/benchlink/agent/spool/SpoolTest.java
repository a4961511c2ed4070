package io.benchlink.agent.spool;

import static io.benchlink.agent.spool.TestStatuses.link;
import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool and its writer through the public API, on a real SQLite file in a temp dir with a clock the test moves:
 * seq assignment, acks, the welcome sync, limits, listeners and closing. Crash safety is in SpoolCrashIT.
 */
@Timeout(60)
class SpoolTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
    private Spool spool;

    @AfterEach
    void close() {
        if (spool != null) {
            spool.close();
        }
    }

    @Test
    void appendsGetConsecutiveSeqsAndReadBackInOrder() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        assertThat(spool.append(result("bench-a", 1))).isEqualTo(1);
        assertThat(spool.append(link("bench-a", StatusKind.OFFLINE, 2))).isEqualTo(2);
        spool.accept(result("bench-b", 3));

        List<SpoolRecord> records = spool.readAfter(0, 10);
        assertThat(records).extracting(SpoolRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(records.get(0).status()).isEqualTo(result("bench-a", 1));
        assertThat(records.get(1).status()).isEqualTo(link("bench-a", StatusKind.OFFLINE, 2));
        assertThat(spool.readAfter(1, 1)).extracting(SpoolRecord::seq).containsExactly(2L);
        assertThat(spool.readAfter(3, 10)).isEmpty();
        assertThat(spool.lastSeq()).isEqualTo(3);
        assertThat(spool.depth()).isEqualTo(3);
        assertThat(spool.commits()).isPositive();
    }

    @Test
    void countsEachRecordAsItsPayloadPlusTheRowOverhead() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        DeviceStatus status = result("bench-a", 1);
        spool.append(status);
        assertThat(spool.bytes()).isEqualTo(costOf(status));
        assertThat(spool.config().maxBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aStatusIsStoredWithoutTheGatewaysSeq() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        spool.append(result("bench-a", 1).withSeq(99));
        assertThat(spool.readAfter(0, 1).get(0).status().seq()).isZero();
    }

    @Test
    void acksRemoveRecordsUpToTheAckedSeqOnly() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        for (int i = 1; i <= 4; i++) {
            spool.append(result("bench-a", i));
        }
        spool.ackUpTo(2);
        spool.ackUpTo(1); // an older ack changes nothing
        await().atMost(WAIT).until(() -> spool.depth() == 2);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(3L, 4L);
        assertThat(spool.bytes()).isEqualTo(costOf(result("bench-a", 3)) + costOf(result("bench-a", 4)));

        spool.ackUpTo(4);
        await().atMost(WAIT).until(() -> spool.depth() == 0);
        assertThat(spool.append(result("bench-a", 5))).isEqualTo(5); // seqs are never reused
    }

    @Test
    void aWelcomeRemovesWhatTheGatewayHoldsAndReportsNoShift() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        for (int i = 1; i <= 3; i++) {
            spool.append(result("bench-a", i));
        }
        assertThat(spool.syncWithGateway(2)).isZero();
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(3L);
        assertThat(spool.depth()).isEqualTo(1);
        assertThat(spool.syncWithGateway(3)).isZero();
        assertThat(spool.depth()).isZero();
    }

    @Test
    void aGatewayAheadOfTheSpoolMovesPendingRecordsAboveItsSeq() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        AtomicInteger signals = new AtomicInteger();
        spool.append(result("bench-a", 1));
        spool.append(result("bench-a", 2));
        spool.addAppendListener(signals::incrementAndGet);

        assertThat(spool.syncWithGateway(100)).isEqualTo(100);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(101L, 102L);
        assertThat(spool.lastSeq()).isEqualTo(102);
        // the uplink is told that there is something to send
        await().atMost(WAIT).until(() -> signals.get() >= 1); // appends before the listener may also signal late
        assertThat(spool.append(result("bench-a", 3))).isEqualTo(103);
    }

    @Test
    void aGatewayAtTheSpoolsLastSeqMovesNothing() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        spool.append(result("bench-a", 1));
        spool.append(result("bench-a", 2));
        spool.ackUpTo(2);
        await().atMost(WAIT).until(() -> spool.depth() == 0);
        spool.append(result("bench-a", 3));

        assertThat(spool.syncWithGateway(3)).isZero();
        assertThat(spool.lastSeq()).isEqualTo(3);
    }

    @Test
    void theSeqContinuesAfterAReopen() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        spool.append(result("bench-a", 1));
        spool.syncWithGateway(50);
        spool.close();

        spool = open(1 << 20, Duration.ofDays(30));
        assertThat(spool.lastSeq()).isEqualTo(51);
        assertThat(spool.depth()).isEqualTo(1);
        assertThat(spool.append(result("bench-a", 2))).isEqualTo(52);
    }

    @Test
    void listenersRunAfterEachCommitThatAddedRecordsEvenIfOneFails() throws InterruptedException {
        spool = open(1 << 20, Duration.ofDays(30));
        AtomicInteger calls = new AtomicInteger();
        spool.addAppendListener(() -> {
            throw new IllegalStateException("listener bug");
        });
        spool.addAppendListener(calls::incrementAndGet);

        spool.append(result("bench-a", 1));
        await().atMost(WAIT).until(() -> calls.get() == 1);
        spool.syncWithGateway(1); // removes, adds nothing
        spool.append(result("bench-a", 2));
        await().atMost(WAIT).until(() -> calls.get() >= 2);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void aFullSpoolBlocksTheAppendUntilAnAckMakesRoom() throws Exception {
        long cost = costOf(result("bench-a", 1));
        spool = open(2 * cost, Duration.ofDays(30));
        spool.append(result("bench-a", 1));
        spool.append(result("bench-a", 2));

        CompletableFuture<Long> third = CompletableFuture.supplyAsync(() -> append(result("bench-a", 3)));
        await().atMost(WAIT).until(spool::full);
        assertThat(third).isNotDone();

        spool.ackUpTo(1);
        assertThat(third.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
        await().atMost(WAIT).until(() -> !spool.full());
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(2L, 3L);
    }

    @Test
    void aFullSpoolDropsOlderLinkStatusesOfTheSameDeviceFirst() throws InterruptedException {
        // "offline" is one byte longer than "online": room for three offline statuses and a few bytes
        spool = open(3 * costOf(link("bench-a", StatusKind.OFFLINE, 1)) + 5, Duration.ofDays(30));
        spool.append(link("bench-a", StatusKind.ONLINE, 1));
        spool.append(link("bench-a", StatusKind.OFFLINE, 2));
        spool.append(link("bench-a", StatusKind.ONLINE, 3));

        spool.append(link("bench-a", StatusKind.OFFLINE, 4));
        assertThat(spool.droppedSuperseded()).isEqualTo(2);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(3L, 4L);
        assertThat(spool.full()).isFalse();
    }

    @Test
    void recordsOlderThanTheMaxAgeAreDroppedAtTheNextWrite() throws InterruptedException {
        spool = open(1 << 20, Duration.ofHours(1));
        spool.append(result("bench-a", 1));
        clock.advance(Duration.ofMinutes(61));

        spool.append(result("bench-a", 2));
        assertThat(spool.expired()).isEqualTo(1);
        assertThat(spool.readAfter(0, 10)).extracting(SpoolRecord::seq).containsExactly(2L);
    }

    @Test
    void aClosedSpoolRefusesEveryCallWithAOneLineReason() {
        spool = open(1 << 20, Duration.ofDays(30));
        spool.close();
        spool.close(); // twice is harmless

        assertThatThrownBy(() -> spool.append(result("bench-a", 1)))
                .isInstanceOf(SpoolException.class).hasMessageEndingWith("is closed");
        assertThatThrownBy(() -> spool.readAfter(0, 1))
                .isInstanceOf(SpoolException.class).hasMessageEndingWith("is closed");
        assertThatThrownBy(() -> spool.syncWithGateway(1))
                .isInstanceOf(SpoolException.class).hasMessageEndingWith("is closed");
        spool = null;
    }

    @Test
    void aWaitingAppendFailsWhenTheSpoolCloses() throws Exception {
        long cost = costOf(result("bench-a", 1));
        spool = open(cost, Duration.ofDays(30));
        spool.append(result("bench-a", 1));
        CompletableFuture<Long> blocked = CompletableFuture.supplyAsync(() -> append(result("bench-a", 2)));
        await().atMost(WAIT).until(spool::full);

        spool.close();
        assertThatThrownBy(() -> blocked.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .hasCauseInstanceOf(SpoolException.class)
                .hasRootCauseMessage("spool closed");
        spool = null;
    }

    @Test
    void aSecondAgentCannotOpenTheSameDirectory() {
        spool = open(1 << 20, Duration.ofDays(30));
        assertThatThrownBy(() -> open(1 << 20, Duration.ofDays(30)))
                .isInstanceOf(SpoolException.class)
                .hasMessageContaining("in use by another agent");
    }

    @Test
    void aDirectoryThatIsAFileIsRefusedWithAOneLineReason() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertThatThrownBy(() -> Spool.open(new SpoolConfig(file, 1 << 20, Duration.ofDays(1)), clock))
                .isInstanceOf(SpoolException.class)
                .hasMessageStartingWith("cannot open spool in " + file)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private Spool open(long maxBytes, Duration maxAge) {
        return Spool.open(new SpoolConfig(dir, maxBytes, maxAge), clock);
    }

    private long append(DeviceStatus status) {
        try {
            return spool.append(status);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long costOf(DeviceStatus status) {
        return StatusJson.toJson(status.withSeq(0)).getBytes(StandardCharsets.UTF_8).length + SpoolDb.ROW_OVERHEAD;
    }
}
