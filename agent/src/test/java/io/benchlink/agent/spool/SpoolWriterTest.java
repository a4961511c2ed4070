package io.benchlink.agent.spool;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.testing.TestClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer loop on its own thread, on a real SQLite file: requests queued before the loop runs are taken in one
 * commit, a stop commits what was queued before it, and nothing queued after the stop waits forever.
 */
@Timeout(30)
class SpoolWriterTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-27T12:00:00Z"));
    private SpoolDb db;

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void appendsQueuedBeforeAStopAreCommittedInOneTransactionInArrivalOrder() throws Exception {
        SpoolWriter writer = writer();
        CompletableFuture<Long> first = writer.append(result("bench-a", 1));
        CompletableFuture<Long> second = writer.append(result("bench-b", 2));
        writer.stop();

        run(writer);
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(writer.commits()).isEqualTo(1);
        assertThat(writer.lastSeq()).isEqualTo(2);
        assertThat(db.depth()).isEqualTo(2);
        assertThat(db.lastSeq()).isEqualTo(2);
    }

    @Test
    void aWelcomeLetsTheSpoolGoUpToTheGatewaysLastSeq() throws Exception {
        SpoolWriter writer = writer();
        writer.append(result("bench-a", 1));
        writer.append(result("bench-a", 2));
        writer.stop();
        run(writer);

        SpoolWriter next = new SpoolWriter(db, config(), clock);
        assertThat(next.space().depth()).isEqualTo(2);
        CompletableFuture<Long> sync = next.sync(1);
        next.stop();
        run(next);
        assertThat(sync.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(db.depth()).isEqualTo(1);
        assertThat(next.space().depth()).isEqualTo(1);
    }

    @Test
    void aWelcomeAtExactlyTheSpoolsLastSeqEmptiesItWithoutRenumbering() throws Exception {
        SpoolWriter writer = writer();
        writer.append(result("bench-a", 1));
        writer.append(result("bench-a", 2));
        writer.stop();
        run(writer);

        SpoolWriter next = new SpoolWriter(db, config(), clock);
        CompletableFuture<Long> sync = next.sync(2);
        next.stop();
        run(next);
        assertThat(sync.get(5, TimeUnit.SECONDS)).isZero();
        assertThat(next.lastSeq()).isEqualTo(2);
        assertThat(db.depth()).isZero();
    }

    @Test
    void aWelcomeAboveTheSpoolMovesThePendingStatusesAboveIt() throws Exception {
        SpoolWriter writer = writer();
        writer.append(result("bench-a", 1));
        writer.stop();
        run(writer);

        SpoolWriter next = new SpoolWriter(db, config(), clock);
        CompletableFuture<Long> sync = next.sync(40);
        next.stop();
        run(next);
        assertThat(sync.get(5, TimeUnit.SECONDS)).isEqualTo(40);
        assertThat(next.lastSeq()).isEqualTo(41);
        assertThat(db.countUpTo(40)[0]).as("nothing left at or below the gateway's 40").isZero();
        assertThat(db.countUpTo(41)[0]).as("the pending status is now 41").isEqualTo(1);
    }

    @Test
    void seqsAreNotReusedAfterEveryRecordWasAcknowledgedAndTheSpoolReopened() throws Exception {
        SpoolWriter writer = writer();
        writer.append(result("bench-a", 1));
        writer.append(result("bench-a", 2));
        writer.stop();
        run(writer);
        SpoolWriter acking = new SpoolWriter(db, config(), clock);
        acking.sync(2); // the gateway holds both
        acking.stop();
        run(acking);
        assertThat(db.depth()).isZero();
        db.close();

        db = SpoolDb.open(dir);
        SpoolWriter next = new SpoolWriter(db, config(), clock);
        CompletableFuture<Long> append = next.append(result("bench-a", 3));
        next.stop();
        run(next);
        assertThat(append.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void appendsWaitingBesideAWelcomeHaveNoSeqYetAndAreNumberedAboveIt() throws Exception {
        SpoolWriter writer = writer();
        CompletableFuture<Long> append = writer.append(result("bench-a", 1));
        CompletableFuture<Long> sync = writer.sync(1);
        writer.stop();

        run(writer);
        assertThat(sync.get(5, TimeUnit.SECONDS)).isEqualTo(1); // the gateway's 1 came from an earlier spool
        assertThat(append.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void aWelcomeAboveTheSpoolRenumbersAndSavesTheNewLastSeq() throws Exception {
        SpoolWriter writer = writer();
        writer.append(result("bench-a", 1));
        CompletableFuture<Long> sync = writer.sync(40);
        writer.stop();

        run(writer);
        assertThat(sync.get(5, TimeUnit.SECONDS)).isEqualTo(40);
        assertThat(writer.lastSeq()).isEqualTo(41);
        assertThat(db.lastSeq()).isEqualTo(41);
    }

    @Test
    void aWelcomeAboveAnEmptySpoolIsRememberedSoTheNextSeqFollowsIt() throws Exception {
        SpoolWriter writer = writer();
        writer.sync(40);
        writer.stop();
        run(writer);
        db.close();

        db = SpoolDb.open(dir);
        assertThat(db.lastSeq()).isEqualTo(40);
        assertThat(new SpoolWriter(db, config(), clock).lastSeq()).isEqualTo(40);
    }

    @Test
    void requestsAfterTheWriterStoppedFailAtOnceInsteadOfWaitingForever() throws Exception {
        SpoolWriter writer = writer();
        writer.stop();
        run(writer);

        CompletableFuture<Long> append = writer.append(result("bench-a", 1));
        CompletableFuture<Long> sync = writer.sync(1);
        assertThat(append).isCompletedExceptionally();
        assertThat(sync).isCompletedExceptionally();
        assertThatThrownBy(() -> append.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("spool " + dir + " is closed");
    }

    private SpoolConfig config() {
        return new SpoolConfig(dir, 1 << 20, Duration.ofDays(30));
    }

    private SpoolWriter writer() throws SQLException {
        db = SpoolDb.open(dir);
        return new SpoolWriter(db, config(), clock);
    }

    /** Runs the writer loop on a thread of its own until it stops (every test queues a stop). */
    private static void run(SpoolWriter writer) throws InterruptedException {
        Thread thread = new Thread(writer, "agent-spool-writer-test");
        thread.start();
        thread.join(20_000);
        assertThat(thread.isAlive()).as("writer stopped").isFalse();
    }
}
