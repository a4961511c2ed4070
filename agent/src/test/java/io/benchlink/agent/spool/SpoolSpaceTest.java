package io.benchlink.agent.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.testing.TestClock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's limits on their own, without the writer thread: a real SQLite file in a temp dir (the direct
 * neighbour) and a clock the test moves. Every record here costs 100 payload bytes + 64 overhead = 164.
 */
class SpoolSpaceTest {
    private static final int SIZE = 100;
    private static final long COST = SIZE + SpoolDb.ROW_OVERHEAD;
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(T0);
    private SpoolDb db;

    @AfterEach
    void close() throws SQLException {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void countsWhatTheFileAlreadyHoldsWhenOpened() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", false);
        insert(2, "a", true);
        db.commit();

        SpoolSpace space = space(10_000, Duration.ofDays(30));
        assertThat(space.depth()).isEqualTo(2);
        assertThat(space.bytes()).isEqualTo(2 * COST);
        assertThat(space.full()).isFalse();
    }

    @Test
    void addedAndDeletedRecordsAreCountedWithoutRereadingTheFile() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(10_000, Duration.ofDays(30));
        for (int seq = 1; seq <= 3; seq++) {
            insert(seq, "a", false);
            space.added(COST);
        }
        space.publish();
        assertThat(space.depth()).isEqualTo(3);
        assertThat(space.bytes()).isEqualTo(3 * COST);

        space.deleteUpTo(2);
        space.publish();
        assertThat(space.depth()).isEqualTo(1);
        assertThat(space.bytes()).isEqualTo(COST);
        space.deleteUpTo(2); // nothing left at or below 2
        space.publish();
        assertThat(space.depth()).isEqualTo(1);
        assertThat(db.depth()).isEqualTo(1);
    }

    @Test
    void readersSeeTheCountsOfTheLastCommitOnly() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", false);
        insert(2, "a", false);
        db.commit();
        SpoolSpace space = space(10_000, Duration.ofDays(30));

        space.deleteUpTo(1); // inside the writer's open transaction: readAfter() still returns record 1
        assertThat(space.depth()).isEqualTo(2);
        assertThat(space.bytes()).isEqualTo(2 * COST);
        space.publish(); // the writer committed
        assertThat(space.depth()).isEqualTo(1);
        assertThat(space.bytes()).isEqualTo(COST);

        insert(3, "a", false);
        space.added(COST);
        assertThat(space.depth()).isEqualTo(1);
        space.publish();
        assertThat(space.depth()).isEqualTo(2);
    }

    @Test
    void aRecordFitsUpToTheLastByteOfTheLimit() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(2 * COST, Duration.ofDays(30));
        insert(1, "a", false);
        space.added(COST);

        assertThat(space.makeRoom(COST)).isTrue();
        assertThat(space.makeRoom(COST + 1)).isFalse();
    }

    @Test
    void anEmptySpoolTakesEvenARecordLargerThanTheLimit() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(10, Duration.ofDays(30));
        assertThat(space.makeRoom(COST)).isTrue();
    }

    @Test
    void whenFullItDropsSupersededLinkStatusesButNeverAResult() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", true);
        insert(2, "a", false);
        insert(3, "a", true);
        insert(4, "b", true);
        insert(5, "a", true);
        db.commit();
        SpoolSpace space = space(5 * COST, Duration.ofDays(30));

        assertThat(space.makeRoom(COST)).isTrue(); // a's links 1 and 3 are superseded by 5
        space.publish();
        assertThat(space.droppedSuperseded()).isEqualTo(2);
        assertThat(space.depth()).isEqualTo(3);
        assertThat(space.bytes()).isEqualTo(3 * COST);
        assertThat(db.countUpTo(5)[0]).isEqualTo(3);
    }

    @Test
    void whenNothingCanBeDroppedThereIsNoRoom() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", false);
        insert(2, "a", true);
        db.commit();
        SpoolSpace space = space(2 * COST, Duration.ofDays(30));

        assertThat(space.makeRoom(COST)).isFalse();
        assertThat(space.droppedSuperseded()).isZero();
        assertThat(space.depth()).isEqualTo(2);
    }

    @Test
    void fullIsWhatTheWriterLastSaid() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(10_000, Duration.ofDays(30));
        space.markFull(true);
        space.markFull(true);
        assertThat(space.full()).isTrue();
        space.markFull(false);
        assertThat(space.full()).isFalse();
    }

    @Test
    void aRolledBackTransactionsCountsAreRestored() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(10_000, Duration.ofDays(30));
        long[] before = space.snapshot();
        space.added(COST);
        space.added(COST);
        space.restore(before);
        space.publish();
        assertThat(space.depth()).isZero();
        assertThat(space.bytes()).isZero();
    }

    @Test
    void expiresRecordsOlderThanTheMaxAgeAndCountsThem() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", false);
        clock.advance(Duration.ofHours(2));
        insert(2, "a", false);
        db.commit();
        SpoolSpace space = space(10_000, Duration.ofHours(3));
        assertThat(space.expiryDue()).isTrue();

        clock.advance(Duration.ofHours(1)); // record 1 is exactly 3 h old: kept
        space.expireIfDue();
        assertThat(space.expired()).isZero();
        assertThat(space.depth()).isEqualTo(2);

        clock.advance(Duration.ofMinutes(1));
        space.expireIfDue();
        space.publish();
        assertThat(space.expired()).isEqualTo(1);
        assertThat(space.depth()).isEqualTo(1);
        assertThat(space.bytes()).isEqualTo(COST);
    }

    @Test
    void dropsAndExpiriesAreCountedForReadersOnlyOnceCommittedAndNotAtAllWhenRolledBack() throws SQLException {
        db = SpoolDb.open(dir);
        insert(1, "a", true);
        insert(2, "a", true);
        db.commit();
        clock.advance(Duration.ofHours(2));
        insert(3, "b", false);
        db.commit();
        SpoolSpace space = space(4 * COST, Duration.ofHours(1));

        long[] before = space.snapshot();
        space.expireIfDue(); // 1 and 2 expire inside the writer's open transaction
        assertThat(space.expired()).as("readAfter() can still return them").isZero();
        db.rollbackQuietly(); // the commit failed: the retry expires (and counts) them again
        space.restore(before);
        space.publish();
        assertThat(space.expired()).isZero();

        insert(4, "b", true);
        insert(5, "b", true);
        space.added(COST);
        space.added(COST);
        assertThat(space.makeRoom(COST)).isTrue(); // a's link 1 is superseded by 2, b's 4 by 5
        assertThat(space.droppedSuperseded()).isZero();
        space.publish();
        assertThat(space.droppedSuperseded()).isEqualTo(2);
    }

    @Test
    void checksExpiryEveryTenthOfTheMaxAgeAtMostEveryMinute() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace shortAge = space(10_000, Duration.ofSeconds(100));
        shortAge.expireIfDue();
        assertThat(shortAge.expiryDue()).isFalse();
        assertThat(shortAge.millisToExpiryCheck()).isEqualTo(10_000);
        clock.advance(Duration.ofMillis(9_999));
        assertThat(shortAge.expiryDue()).isFalse();
        assertThat(shortAge.millisToExpiryCheck()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(shortAge.expiryDue()).isTrue();
        assertThat(shortAge.millisToExpiryCheck()).isEqualTo(1);

        SpoolSpace longAge = space(10_000, Duration.ofDays(30));
        longAge.expireIfDue();
        assertThat(longAge.millisToExpiryCheck()).isEqualTo(60_000);

        SpoolSpace tinyAge = space(10_000, Duration.ofMillis(5));
        tinyAge.expireIfDue();
        assertThat(tinyAge.millisToExpiryCheck()).isEqualTo(1);
    }

    @Test
    void anExpiryCheckBeforeItIsDueDoesNothing() throws SQLException {
        db = SpoolDb.open(dir);
        SpoolSpace space = space(10_000, Duration.ofSeconds(100));
        space.expireIfDue();
        insert(1, "a", false);
        space.added(COST);
        clock.advance(Duration.ofSeconds(101));
        assertThat(space.expiryDue()).isTrue();
        space.expireIfDue();
        space.publish();
        assertThat(space.expired()).isEqualTo(1);
        insert(2, "a", false);
        space.added(COST);
        clock.advance(Duration.ofSeconds(101));
        space.expireIfDue();
        space.publish();
        assertThat(space.expired()).isEqualTo(2);
        db.insert(3, "a", false, clock.millis() - 200_000, SIZE, "x".repeat(SIZE)); // already too old
        clock.advance(Duration.ofSeconds(5));
        space.expireIfDue(); // not due: 5 s since the last check
        space.publish();
        assertThat(space.expired()).isEqualTo(2);
        assertThat(db.depth()).isEqualTo(1);
    }

    private SpoolSpace space(long maxBytes, Duration maxAge) throws SQLException {
        return new SpoolSpace(db, new SpoolConfig(dir, maxBytes, maxAge), clock);
    }

    private void insert(long seq, String device, boolean link) throws SQLException {
        db.insert(seq, device, link, clock.millis(), SIZE, "x".repeat(SIZE));
    }
}
