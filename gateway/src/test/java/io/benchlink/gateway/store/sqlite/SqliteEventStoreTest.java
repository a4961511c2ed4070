package io.benchlink.gateway.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoreUnusableException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read side of the embedded store on a real SQLite file in a temporary directory: what each query returns at
 * its boundaries (exclusive/inclusive bounds, limits, order), that a paged read leaves the read connection in
 * autocommit (so later reads see later commits), and how a file that cannot be a store is reported.
 */
class SqliteEventStoreTest {
    @TempDir
    Path dir;
    private SqliteEventStore store;
    private WriteSession session;

    private void open() {
        store = SqliteEventStore.open(dir);
        session = store.openWriter();
        session.load();
    }

    @AfterEach
    void close() {
        if (session != null) {
            session.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static StoredEvent event(long seq, String device, StatusKind kind) {
        return new StoredEvent(seq, device, kind, "{\"seq\":" + seq + "}");
    }

    /** One batch: each "device:kind@storedMillis" gets the next seq. Returns the last seq. */
    private long commit(String... specs) {
        long seq = session.begin();
        for (String spec : specs) {
            String[] deviceRest = spec.split(":");
            String[] kindTime = deviceRest[1].split("@");
            StatusKind kind = StatusKind.fromWire(kindTime[0]);
            long stored = kindTime.length > 1 ? Long.parseLong(kindTime[1]) : 1_000;
            session.append(event(++seq, deviceRest[0], kind), null, null, 0, stored);
        }
        session.commit(seq);
        return seq;
    }

    @Test
    void opensInANewNestedDirectoryAndNamesItsFile() {
        Path nested = dir.resolve("a/b");
        try (SqliteEventStore nestedStore = SqliteEventStore.open(nested)) {
            assertThat(nestedStore.location()).isEqualTo(nested.resolve("benchlink.db").toString());
            assertThat(nestedStore.file()).isEqualTo(nested.resolve(SqliteEventStore.FILE_NAME));
            assertThat(nested.resolve("benchlink.db")).isRegularFile();
        }
    }

    @Test
    void reopeningAnExistingStoreKeepsWhatWasCommitted() {
        open();
        commit("a:success", "b:fail");
        close();
        session = null;

        open();
        assertThat(store.latestSeq()).isEqualTo(2);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::deviceId).containsExactly("a", "b");
    }

    @Test
    void aFileThatIsNotADatabaseIsUnusableWithOneLineNamingTheFileAndTheRecovery() throws Exception {
        Files.writeString(dir.resolve(SqliteEventStore.FILE_NAME), "this was a store once\n".repeat(500));

        assertThatThrownBy(() -> SqliteEventStore.open(dir))
                .isInstanceOf(StoreUnusableException.class)
                .hasMessageStartingWith(dir.resolve(SqliteEventStore.FILE_NAME) + " is damaged or not a Benchlink store (")
                .hasMessageEndingWith("); the gateway did not start. Recovery: docs/OPERATIONS.md, \"Store file damaged\"")
                .hasMessageContaining("not a database") // SQLite's own reason, first line only
                .message().doesNotContain("\n");
    }

    @Test
    void aDatabaseWithADamagedSchemaPageIsUnusable() throws Exception {
        open();
        commit("a:success");
        close();
        session = null;
        store = null;
        // page 1 holds the schema; keep SQLite's 100-byte header (else: "not a database") and wreck the rest
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve(SqliteEventStore.FILE_NAME).toFile(), "rw")) {
            file.seek(100);
            file.write(new byte[3000]);
            file.seek(100);
            file.write("garbage".repeat(100).getBytes());
        }

        assertThatThrownBy(() -> SqliteEventStore.open(dir)).isInstanceOf(StoreUnusableException.class)
                .hasMessageContaining("is damaged or not a Benchlink store");
    }

    @Test
    void aStoreThatCannotBeOpenedForAnotherReasonIsAPlainStoreFailure() throws Exception {
        Files.createDirectories(dir.resolve(SqliteEventStore.FILE_NAME)); // a directory where the file should be

        assertThatThrownBy(() -> SqliteEventStore.open(dir))
                .isExactlyInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store in " + dir + " (")
                .message().doesNotContain("\n");
    }

    @Test
    void aDataDirThatIsAFileIsAPlainStoreFailure() throws Exception {
        Path file = Files.writeString(dir.resolve("data"), "x");

        assertThatThrownBy(() -> SqliteEventStore.open(file))
                .isExactlyInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot open store in " + file + " (");
    }

    @Test
    void everyConnectionWritesAheadAndSyncsFully() throws Exception {
        open();
        try (Connection connection = SqliteEventStore.connect(store.file(), 0);
             Statement st = connection.createStatement()) {
            assertThat(pragma(st, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(st, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(st, "busy_timeout")).isEqualTo("5000");
        }
        try (Connection limited = SqliteEventStore.connect(store.file(), 77);
             Statement st = limited.createStatement()) {
            assertThat(pragma(st, "max_page_count")).isEqualTo("77");
        }
    }

    private static String pragma(Statement st, String name) throws Exception {
        try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void replayIsExclusiveOfSinceInSeqOrderAndLimited() {
        open();
        commit("a:online", "b:online", "a:success", "b:fail", "a:error");

        assertThat(store.eventsAfter(1, null, 100)).extracting(StoredEvent::seq).containsExactly(2L, 3L, 4L, 5L);
        assertThat(store.eventsAfter(1, null, 2)).extracting(StoredEvent::seq).containsExactly(2L, 3L);
        assertThat(store.eventsAfter(1, "a", 1)).extracting(StoredEvent::seq).containsExactly(3L);
        assertThat(store.eventsAfter(5, null, 100)).isEmpty();
        assertThat(store.eventsAfter(0, "nobody", 100)).isEmpty();
        assertThat(store.eventsAfter(3, "b", 100)).containsExactly(event(4, "b", StatusKind.FAIL));
    }

    @Test
    void aSnapshotOfOneDeviceOrAllWithTheHighWater() {
        open();
        commit("b:online", "a:fail");

        Snapshot all = store.snapshot(null);
        assertThat(all.devices()).containsExactly(event(2, "a", StatusKind.FAIL), event(1, "b", StatusKind.ONLINE));
        assertThat(all.highWater()).isEqualTo(2);
        assertThat(store.snapshot("b").devices()).containsExactly(event(1, "b", StatusKind.ONLINE));
        assertThat(store.snapshot("z").devices()).isEmpty();
        assertThat(store.snapshot("z").highWater()).isEqualTo(2);
    }

    /** A paged read runs in its own transaction; the read connection must be back in autocommit afterwards. */
    @Test
    void readsAfterEachPagedReadSeeLaterCommits() {
        open();
        commit("a:online");
        List<Runnable> pagedReads = List.of(() -> store.snapshot(null), () -> store.devicesAfter(null, 10),
                () -> store.devicesBySeq(0, 10, 10));
        for (Runnable pagedRead : pagedReads) {
            pagedRead.run();
            for (int round = 0; round < 2; round++) { // a read left in a transaction would see only the first
                long seq = commit("a:success");
                assertThat(store.latestSeq()).isEqualTo(seq);
                assertThat(store.eventsAfter(0, null, 100)).hasSize((int) seq);
            }
        }
    }

    @Test
    void resultCountsOnlyResultsFromTheFirstMillisecondUpToTheMaxSeqPerDeviceKindAndMinute() {
        open();
        long minute = 29_000_000L;
        long t = minute * 60_000;
        commit("a:success@" + (t - 1), // before the window
                "a:success@" + t, // seq 2: first millisecond of the window
                "a:success@" + (t + 59_999), // same minute
                "a:fail@" + (t + 60_000), // next minute
                "a:online@" + t, // not a result
                "b:error@" + t, // seq 6
                "b:error@" + t); // seq 7: above maxSeq below

        assertThat(store.resultCounts(t, 6)).containsExactlyInAnyOrder(
                new ResultCount("a", StatusKind.SUCCESS, minute, 2),
                new ResultCount("a", StatusKind.FAIL, minute + 1, 1),
                new ResultCount("b", StatusKind.ERROR, minute, 1));
    }

    @Test
    void oldestAndLatestSeqFollowTheLogAndTheLatestSurvivesRetention() {
        open();
        assertThat(store.oldestSeq()).isZero();
        commit("a:online@1000", "a:success@5000", "a:fail@9000");
        assertThat(store.oldestSeq()).isEqualTo(1);

        session.begin();
        session.purge(6_000);
        session.commit(3);
        assertThat(store.oldestSeq()).isEqualTo(3);

        session.begin();
        session.purge(10_000);
        session.commit(3);
        assertThat(store.oldestSeq()).isZero();
        assertThat(store.latestSeq()).isEqualTo(3);
    }

    @Test
    void theEventCountIsTheKeptOneOnceAWriterStartedAndCountedBefore() throws Exception {
        open();
        commit("a:online", "b:online");
        execute("DELETE FROM meta WHERE key = 'event_count'");
        assertThat(store.eventCount()).as("no kept count: counted").isEqualTo(2);

        execute("INSERT INTO meta(key, value) VALUES ('event_count', 0)");
        assertThat(store.eventCount()).as("a kept count of 0 is a count").isZero();
    }

    @Test
    void anAgentsMarkIsZeroUntilCommitted() {
        open();
        assertThat(store.agentMark("rig-1")).isZero();
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.ONLINE), null, "rig-1", 9, 1);
        session.saveAgentMark("rig-1", 9);
        session.commit(seq + 1);

        assertThat(store.agentMark("rig-1")).isEqualTo(9);
        assertThat(store.agentMark("rig-2")).isZero();
    }

    @Test
    void theSizeIsTheFileAndItsWriteAheadLog() throws Exception {
        open();
        commit("a:online", "b:online");
        Path file = dir.resolve(SqliteEventStore.FILE_NAME);
        Path wal = dir.resolve(SqliteEventStore.FILE_NAME + "-wal");
        assertThat(Files.size(wal)).as("the writer's commits are in the log until a checkpoint").isPositive();

        assertThat(store.sizeBytes()).isEqualTo(Files.size(file) + Files.size(wal));
    }

    @Test
    void theSizeIsUnknownWhenTheFileIsGone() throws Exception {
        open();
        Files.delete(dir.resolve(SqliteEventStore.FILE_NAME));

        assertThat(store.sizeBytes()).isEqualTo(-1);
    }

    @Test
    void everyReadOfAClosedStoreFailsWithOneLineSayingWhat() {
        open();
        commit("a:online");
        store.close();
        store.close(); // closing twice is harmless

        assertThatThrownBy(() -> store.eventsAfter(0, null, 1)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read events (");
        assertThatThrownBy(() -> store.devicesAfter(null, 1)).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(() -> store.devicesBySeq(0, 1, 1)).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(() -> store.lastStatusKinds()).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(() -> store.snapshot(null)).hasMessageStartingWith("cannot read snapshot (");
        assertThatThrownBy(() -> store.resultCounts(0, 1)).hasMessageStartingWith("cannot count results (");
        assertThatThrownBy(() -> store.oldestSeq()).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> store.latestSeq()).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> store.eventCount()).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> store.agentMark("rig-1")).hasMessageStartingWith("cannot read store (");
        assertThat(store.sizeBytes()).as("the file is still there").isPositive();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = SqliteEventStore.connect(dir.resolve(SqliteEventStore.FILE_NAME), 0);
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
