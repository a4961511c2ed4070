package io.benchlink.agent.spool;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.testing.TestClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's ack timing, one turn of its loop at a time on the test thread, on a real SQLite file, with the ack
 * delay's clock moved by hand: an ack alone waits the 50 ms delay (so a stream of acks costs a few commits per second,
 * not an fsync each), acks within the delay are applied together, the first ack of a burst wakes the writer and the
 * writer sleeps only until the acks are due; an append waiting for room takes the ack at once.
 */
@Timeout(30)
class SpoolWriterAckTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private SpoolDb db;
    private SpoolWriter writer;

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void anAckAloneIsAppliedOnlyOnceTheAckDelayHasPassed() throws Exception {
        open(1 << 20);
        spool(3);
        long commits = writer.commits();

        writer.ackUpTo(2);
        turnWokenByTheAck();
        assertPending(3);
        advance(49);
        idleTurn();
        assertPending(3);
        assertThat(writer.commits()).isEqualTo(commits);

        advance(1);
        idleTurn();
        assertPending(1);
        assertThat(writer.commits()).isEqualTo(commits + 1);
    }

    @Test
    void acksWithinTheDelayAreAppliedInOneCommitDueFiftyMillisecondsAfterTheFirst() throws Exception {
        open(1 << 20);
        spool(3);
        long commits = writer.commits();

        writer.ackUpTo(1);
        turnWokenByTheAck();
        advance(30);
        writer.ackUpTo(2);
        writer.ackUpTo(3);
        assertThat(writer.queued()).as("later acks of a burst do not wake the writer again").isZero();
        idleTurn();
        assertPending(3); // a later ack of the burst does not apply early ...

        advance(20);
        idleTurn(); // ... nor push the delay back
        assertPending(0);
        assertThat(writer.commits()).isEqualTo(commits + 1);
    }

    @Test
    void whileAnAckWaitsTheWriterSleepsOnlyUntilItIsDueAndAfterwardsUntilTheNextExpiryCheck() throws Exception {
        open(1 << 20);
        spool(1);
        assertThat(writer.pollMillis()).isEqualTo(60_000); // nothing pending: the next expiry check

        writer.ackUpTo(1);
        turnWokenByTheAck();
        assertThat(writer.pollMillis()).isEqualTo(51); // rounded up: it never wakes before the ack is due
        advance(20);
        assertThat(writer.pollMillis()).isEqualTo(31);
        advance(30);
        assertThat(writer.pollMillis()).isEqualTo(1);
        advance(10);
        assertThat(writer.pollMillis()).isEqualTo(1); // overdue: at once, never a negative or zero wait

        idleTurn();
        assertPending(0);
        assertThat(writer.pollMillis()).isEqualTo(60_000);
    }

    @Test
    void aTurnWithNoAckPendingDoesNotArmTheAckDelay() throws Exception {
        open(1 << 20);
        spool(1);
        clock.advance(Duration.ofMillis(59_900)); // the next expiry check is 100 ms away
        assertThat(writer.pollMillis()).isEqualTo(100);
        long commits = writer.commits();

        writer.step(); // nothing queued: sleeps the 100 ms and finds nothing to do
        assertThat(writer.pollMillis()).isEqualTo(100);
        assertThat(writer.commits()).isEqualTo(commits);
    }

    @Test
    void anAckAfterTheLastWasAppliedWakesTheWriterAgain() throws Exception {
        open(1 << 20);
        spool(2);
        writer.ackUpTo(1);
        turnWokenByTheAck();
        advance(50);
        idleTurn();
        assertPending(1);

        writer.ackUpTo(2);
        turnWokenByTheAck();
        advance(50);
        idleTurn();
        assertPending(0);

        writer.ackUpTo(2); // a repeat raises nothing
        assertThat(writer.queued()).as("a repeated ack does not wake the writer").isZero();
    }

    @Test
    void aTurnThatTakesAStopEndsTheLoopAfterApplyingThePendingAck() throws Exception {
        open(1 << 20);
        spool(2);
        writer.ackUpTo(1);
        writer.stop();
        assertThat(writer.step()).isTrue();
        assertPending(1);
    }

    @Test
    void anAppendWaitingForRoomTakesTheAckAtOnceWithoutTheDelay() throws Exception {
        open(2 * new SpoolWriter.Append(result("bench-a", 1)).cost());
        List<CompletableFuture<Long>> appends = List.of(writer.append(result("bench-a", 1)),
                writer.append(result("bench-a", 2)), writer.append(result("bench-a", 3)));
        writer.step();
        assertThat(writer.space().full()).isTrue();
        assertThat(appends.get(2)).isNotDone();

        writer.ackUpTo(1);
        turnWokenByTheAck();
        assertThat(appends.get(2).get(0, TimeUnit.SECONDS)).isEqualTo(3);
        assertThat(db.depth()).isEqualTo(2);
        assertThat(writer.space().full()).isFalse();
    }

    private void open(long maxBytes) throws SQLException {
        db = SpoolDb.open(dir);
        writer = new SpoolWriter(db, new SpoolConfig(dir, maxBytes, Duration.ofDays(30)), clock, nanos::get);
    }

    /** Statuses 1..n committed by one turn (which also runs the first expiry check, so none is due afterwards). */
    private void spool(int n) throws Exception {
        List<CompletableFuture<Long>> appends = new java.util.ArrayList<>();
        for (int i = 1; i <= n; i++) {
            appends.add(writer.append(result("bench-a", i)));
        }
        assertThat(writer.step()).as("a turn without a stop does not end the loop").isFalse();
        for (int i = 0; i < n; i++) {
            assertThat(appends.get(i).get(0, TimeUnit.SECONDS)).isEqualTo(i + 1);
        }
        assertPending(n);
    }

    /**
     * The ack queued exactly one wake-up, and the turn takes it. Asserted before the turn: without the wake-up the
     * turn would sleep until the next expiry check, a minute away.
     */
    private void turnWokenByTheAck() throws InterruptedException {
        assertThat(writer.queued()).as("the ack woke the writer").isEqualTo(1);
        writer.step();
    }

    /**
     * A turn with nothing queued: it sleeps until the pending ack is due (at most 51 ms), checked first so that a
     * broken wait fails here instead of sleeping for the expiry check.
     */
    private void idleTurn() throws InterruptedException {
        assertThat(writer.queued()).isZero();
        assertThat(writer.pollMillis()).isBetween(1L, 51L);
        writer.step();
    }

    private void advance(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** The database and the published depth agree (published after each commit). */
    private void assertPending(long depth) throws SQLException {
        assertThat(db.depth()).isEqualTo(depth);
        assertThat(writer.space().depth()).isEqualTo(depth);
    }
}
