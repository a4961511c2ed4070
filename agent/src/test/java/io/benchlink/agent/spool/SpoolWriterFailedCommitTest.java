package io.benchlink.agent.spool;

import static io.benchlink.agent.spool.TestStatuses.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.testing.TestClock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit that fails, one turn of the writer loop at a time on the test thread, on a real SQLite file: a trigger
 * (created through a second connection before the writer starts, as a stand-in for a full disk) aborts each insert of
 * device {@code bench-poison} stamped before {@link #HEALED}; the test moves the record clock past it. The whole turn
 * rolls back, nothing it did is counted, the appends wait in their order and the turn is retried a second later.
 */
@Timeout(30)
class SpoolWriterFailedCommitTest {
    private static final Instant START = Instant.parse("2026-11-27T12:00:00Z");
    private static final Instant HEALED = START.plusSeconds(1);

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(START);
    private SpoolDb db;
    private SpoolWriter writer;

    @BeforeEach
    void open() throws SQLException {
        db = SpoolDb.open(dir);
        try (Connection other = SpoolDb.connect(dir); Statement s = other.createStatement()) {
            s.execute("CREATE TRIGGER poison BEFORE INSERT ON status WHEN NEW.device_id = 'bench-poison'"
                    + " AND NEW.created_ms < " + HEALED.toEpochMilli()
                    + " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        }
        writer = new SpoolWriter(db, new SpoolConfig(dir, 1 << 20, Duration.ofDays(30)), clock, () -> 1_000_000_000L);
    }

    @AfterEach
    void close() throws SQLException {
        db.close();
    }

    @Test
    void aFailedTurnIsRolledBackWholeAndRetriedASecondLaterWithTheAppendsInTheirOrder() throws Exception {
        for (int i = 1; i <= 3; i++) {
            writer.append(result("bench-a", i));
        }
        writer.step();
        assertThat(writer.space().depth()).isEqualTo(3);
        long commits = writer.commits();

        writer.ackUpTo(2);
        CompletableFuture<Long> fourth = writer.append(result("bench-a", 4));
        CompletableFuture<Long> poisoned = writer.append(result("bench-poison", 5));
        CompletableFuture<Long> sync = writer.sync(0);
        writer.step();

        assertThat(fourth).isNotDone(); // inserted, then rolled back with the rest of the turn
        assertThat(poisoned).isNotDone();
        assertThatThrownBy(() -> sync.get(0, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .rootCause().hasMessageContaining("injected failure");
        assertThat(writer.lastSeq()).isEqualTo(3);
        assertThat(writer.commits()).isEqualTo(commits);
        assertThat(writer.space().depth()).isEqualTo(3);
        assertThat(writer.pollMillis()).as("retried after a second").isEqualTo(1_000);

        clock.advance(Duration.ofSeconds(1)); // healed
        writer.step(); // nothing queued: the retry after the pause
        assertThat(fourth.get(0, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(poisoned.get(0, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(writer.commits()).isEqualTo(commits + 1);
        assertThat(writer.lastSeq()).isEqualTo(5);
        assertThat(db.lastSeq()).isEqualTo(5);
        // the acks rolled back with the turn are applied by the retry, and counted once: 3, 4 and 5 are left
        assertThat(db.depth()).isEqualTo(3);
        assertThat(writer.space().depth()).isEqualTo(3);
        assertThat(writer.pollMillis()).as("back to the next expiry check").isEqualTo(59_000);
    }

    @Test
    void aFailedTurnKeepsNoSeqSoTheRetryNumbersFromTheLastCommit() throws Exception {
        CompletableFuture<Long> poisoned = writer.append(result("bench-poison", 1));
        writer.step();
        assertThat(poisoned).isNotDone();
        assertThat(writer.lastSeq()).isZero();

        clock.advance(Duration.ofSeconds(1));
        writer.step();
        assertThat(poisoned.get(0, TimeUnit.SECONDS)).isEqualTo(1);
    }
}
