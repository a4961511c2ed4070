package io.benchlink.gateway.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's session on a real SQLite file: what a batch leaves in the file (rows, the kept count, the devices'
 * last statuses, agent marks, idempotency keys), what a rolled-back batch leaves (nothing, not even at the next
 * commit), how retention chunks are chosen, and how a broken connection is replaced. The session is built with a
 * connector that records the connections it opened, so a test sees which are closed.
 */
class SqliteWriteSessionTest {
    @TempDir
    Path dir;
    private SqliteEventStore store;
    private final List<Connection> opened = new ArrayList<>();
    private SqliteWriteSession session;

    @BeforeEach
    void open() throws SQLException {
        store = SqliteEventStore.open(dir);
        session = new SqliteWriteSession(this::connect);
        session.load();
    }

    private Connection connect() throws SQLException {
        Connection connection = SqliteEventStore.connect(store.file(), 0);
        opened.add(connection);
        return connection;
    }

    @AfterEach
    void close() {
        session.close();
        store.close();
    }

    private static StoredEvent event(long seq, String device, StatusKind kind) {
        return new StoredEvent(seq, device, kind, "{\"seq\":" + seq + "}");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = SqliteEventStore.connect(store.file(), 0); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = SqliteEventStore.connect(store.file(), 0); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Appends one event per stored time (seqs after the last committed), commits, returns the last seq. */
    private long commitStoredAt(long... storedMillis) {
        long seq = session.begin();
        for (long stored : storedMillis) {
            seq++;
            session.append(event(seq, "dev-" + seq, StatusKind.SUCCESS), "ok", null, 0, stored);
        }
        session.commit(seq);
        return seq;
    }

    @Test
    void anEventKeepsItsAgentAndAgentSeqOrNullsWithoutAnAgent() throws SQLException {
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.ONLINE), null, "rig-1", 41, 1_234);
        session.append(event(seq + 2, "b", StatusKind.ONLINE), null, null, 0, 5_678);
        session.commit(seq + 2);

        assertThat(count("SELECT COUNT(*) FROM events WHERE seq = 1 AND agent_id = 'rig-1' AND agent_seq = 41"
                + " AND stored_ms = 1234 AND status = 'online' AND json = '{\"seq\":1}'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM events WHERE seq = 2 AND agent_id IS NULL AND agent_seq IS NULL"
                + " AND stored_ms = 5678")).isEqualTo(1);
    }

    @Test
    void aDevicesRowIsItsLastEventOfTheBatchWithItsResult() {
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.ONLINE), null, null, 0, 1);
        session.append(event(seq + 2, "a", StatusKind.FAIL), "bad", null, 0, 1);
        session.append(event(seq + 3, "b", StatusKind.SUCCESS), "ok", null, 0, 1);
        session.commit(seq + 3);

        assertThat(store.snapshot("a").devices()).containsExactly(event(2, "a", StatusKind.FAIL));
        WriteSession.Committed committed = session.load();
        assertThat(committed.lastSeq()).isEqualTo(3);
        assertThat(committed.devices()).containsEntry("a", new WriteSession.DeviceState(StatusKind.FAIL, "bad"))
                .containsEntry("b", new WriteSession.DeviceState(StatusKind.SUCCESS, "ok")).hasSize(2);
    }

    @Test
    void anAgentsMarkIsItsLastOfTheBatchAndReadBackByTheSession() {
        long seq = session.begin();
        session.saveAgentMark("rig-1", 5);
        session.saveAgentMark("rig-1", 7);
        session.saveAgentMark("rig-2", 3);
        assertThat(session.agentMark("rig-1")).as("not before the commit").isZero();
        session.commit(seq);

        session.begin();
        assertThat(session.agentMark("rig-1")).isEqualTo(7);
        assertThat(session.agentMark("rig-3")).isZero();
        session.saveAgentMark("rig-1", 8);
        session.commit(seq);
        assertThat(session.load().agentMarks()).containsOnly(java.util.Map.entry("rig-1", 8L),
                java.util.Map.entry("rig-2", 3L));
    }

    @Test
    void theLastSeqIsWhatTheLastCommitSaid() {
        commitStoredAt(1, 1);
        session.begin();
        session.commit(10); // a batch of refusals only still moves the high-water mark it is given

        assertThat(session.begin()).isEqualTo(10);
        session.rollback();
        assertThat(store.latestSeq()).isEqualTo(10);
    }

    @Test
    void aRolledBackBatchIsNotResurrectedByTheNextCommit() throws SQLException {
        commitStoredAt(1); // seq 1, count 1
        long seq = session.begin();
        session.append(event(seq + 1, "ghost", StatusKind.FAIL), "boo", "rig-9", 3, 1);
        session.saveAgentMark("rig-9", 3);
        session.purge(Long.MAX_VALUE);
        session.rollback();

        session.begin();
        session.append(event(seq + 1, "real", StatusKind.ONLINE), null, null, 0, 1);
        session.commit(seq + 1);

        assertThat(store.snapshot(null).devices()).extracting(StoredEvent::deviceId).containsExactly("dev-1", "real");
        assertThat(store.agentMark("rig-9")).isZero();
        assertThat(store.eventCount()).isEqualTo(2).isEqualTo(count("SELECT COUNT(*) FROM events"));
    }

    @Test
    void theKeptCountMovesByEachBatchOnlyOnce() throws SQLException {
        commitStoredAt(1, 1, 1);
        commitStoredAt(1);
        session.begin();
        session.commit(4); // an empty batch
        assertThat(store.eventCount()).isEqualTo(4);

        session.begin();
        assertThat(session.purge(2, 2)).isEqualTo(2);
        session.commit(4);
        session.begin();
        session.commit(4);
        assertThat(store.eventCount()).isEqualTo(2).isEqualTo(count("SELECT COUNT(*) FROM events"));
    }

    @Test
    void loadCountsTheLogOnceWhenNoCountIsKeptAndKeepsAnExistingOne() throws SQLException {
        commitStoredAt(1, 1, 1);
        execute("DELETE FROM meta WHERE key = 'event_count'");
        session.load();
        assertThat(count("SELECT value FROM meta WHERE key = 'event_count'")).isEqualTo(3);

        execute("UPDATE meta SET value = 40 WHERE key = 'event_count'");
        session.load();
        assertThat(count("SELECT value FROM meta WHERE key = 'event_count'")).as("kept, not recounted").isEqualTo(40);
    }

    @Test
    void anIdempotencyKeyFindsItsEventAndASecondSaveReplacesIt() {
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.FAIL), null, null, 0, 1);
        session.append(event(seq + 2, "a", StatusKind.SUCCESS), null, null, 0, 1);
        session.saveIdempotent("k", seq + 1, 1);
        session.saveIdempotent("k", seq + 2, 1);
        session.commit(seq + 2);

        session.begin();
        assertThat(session.findIdempotent("k")).contains(event(2, "a", StatusKind.SUCCESS));
        assertThat(session.findIdempotent("other")).isEmpty();
        session.rollback();
    }

    @Test
    void aKeyWhoseEventWasPurgedFindsNothing() {
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.FAIL), null, null, 0, 1_000);
        session.saveIdempotent("k", seq + 1, 9_000); // the key is younger than its event
        session.commit(seq + 1);
        session.begin();
        session.purge(5_000);
        session.commit(seq + 1);

        session.begin();
        assertThat(session.findIdempotent("k")).isEmpty();
        session.rollback();
    }

    @Test
    void purgeDeletesEventsAndKeysStoredStrictlyBeforeTheCutOff() throws SQLException {
        long seq = session.begin();
        session.append(event(seq + 1, "a", StatusKind.FAIL), null, null, 0, 999);
        session.append(event(seq + 2, "a", StatusKind.FAIL), null, null, 0, 1_000);
        session.saveIdempotent("old", seq + 1, 999);
        session.saveIdempotent("edge", seq + 2, 1_000);
        session.commit(seq + 2);

        session.begin();
        assertThat(session.purge(1_000)).isEqualTo(1);
        session.commit(seq + 2);

        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(2L);
        assertThat(keys()).containsExactly("edge");
    }

    @Test
    void aPurgeChunkTakesTheOldestEventsAndAtMostLimitKeys() throws SQLException {
        long seq = session.begin();
        long[] stored = {5_000, 1_000, 3_000, 2_000, 9_000};
        for (long t : stored) {
            seq++;
            session.append(event(seq, "a", StatusKind.SUCCESS), null, null, 0, t);
            session.saveIdempotent("k" + seq, seq, t);
        }
        session.commit(seq);

        session.begin();
        assertThat(session.purge(6_000, 2)).isEqualTo(2);
        session.commit(seq);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(1L, 3L, 5L);
        assertThat(keys()).hasSize(3);

        session.begin();
        assertThat(session.purge(6_000, 2)).isEqualTo(2);
        assertThat(session.purge(6_000, 2)).as("nothing left before the cut-off").isZero();
        session.commit(seq);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(5L);
        assertThat(keys()).containsExactly("k5");
        assertThat(store.eventCount()).isEqualTo(1);
    }

    private List<String> keys() throws SQLException {
        List<String> keys = new ArrayList<>();
        try (Connection c = SqliteEventStore.connect(store.file(), 0); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT key FROM idempotency ORDER BY key")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    @Test
    void aRollbackDropsTheConnectionAndTheNextBatchOpensOneFreshConnection() {
        commitStoredAt(1);
        assertThat(opened).hasSize(1);
        session.begin();
        session.rollback();
        assertThat(opened.get(0)).matches(this::isClosed, "closed");

        assertThat(session.begin()).isEqualTo(1);
        session.rollback();
        assertThat(session.begin()).isEqualTo(1);
        session.commit(1);
        commitStoredAt(1);
        assertThat(opened).hasSize(3); // one per rollback, not one per batch
        assertThat(store.latestSeq()).isEqualTo(2);
    }

    @Test
    void closeClosesTheConnection() {
        session.close();
        assertThat(opened).singleElement().matches(this::isClosed, "closed");
    }

    private boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aConnectionWhoseStatementsCannotBePreparedIsClosedAndTheFailureThrown() throws Exception {
        Path empty = dir.resolve("empty.db"); // a database without the store's tables
        List<Connection> mine = new ArrayList<>();
        assertThatThrownBy(() -> new SqliteWriteSession(() -> {
            Connection c = SqliteEventStore.connect(empty, 0);
            mine.add(c);
            return c;
        })).isInstanceOf(SQLException.class).hasMessageContaining("no such table");
        assertThat(mine).singleElement().matches(this::isClosed, "closed");
    }

    @Test
    void aWriterThatCannotConnectIsAStoreFailure() throws Exception {
        Path gone = dir.resolve("gone");
        try (SqliteEventStore other = SqliteEventStore.open(gone)) {
            try (var files = Files.list(gone)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(gone); // SQLite creates a missing file, not a missing directory

            assertThatThrownBy(other::openWriter).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("cannot open store for writing (");
        }
    }

    @Test
    void eachCallOnABrokenConnectionFailsWithOneLineSayingWhat() {
        commitStoredAt(1);
        session.close(); // what a failed disk does to the connection, without the disk

        assertThatThrownBy(() -> session.load()).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> session.begin()).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> session.agentMark("rig-1")).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> session.findIdempotent("k")).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> session.append(event(2, "a", StatusKind.ONLINE), null, null, 0, 1))
                .hasMessageStartingWith("cannot store event (");
        assertThatThrownBy(() -> session.saveIdempotent("k", 2, 1))
                .hasMessageStartingWith("cannot store idempotency key (");
        assertThatThrownBy(() -> session.purge(1)).hasMessageStartingWith("cannot purge (");
        assertThatThrownBy(() -> session.purge(1, 1)).hasMessageStartingWith("cannot purge (");
        assertThatThrownBy(() -> session.commit(2)).hasMessageStartingWith("store commit failed (");
        session.rollback(); // never throws; the next begin opens a fresh connection
        assertThat(session.begin()).isEqualTo(1);
        session.rollback();
    }

    @Test
    void aFullStoreFailsTheBatchKeepsWhatWasCommittedAndTakesBatchesAgainOnceSpaceIsFreed() {
        store.close();
        store = SqliteEventStore.open(dir, 40); // 40 pages of 4 KiB
        session.close();
        session = (SqliteWriteSession) store.openWriter();
        session.load();
        String big = "x".repeat(3_000);
        long seq = session.begin();
        session.append(new StoredEvent(++seq, "a", StatusKind.SUCCESS, "{\"r\":\"" + big + "\"}"), null, null, 0, 5);
        session.commit(seq);

        StoreException full = null;
        for (int batch = 0; batch < 100 && full == null; batch++) {
            long next = session.begin();
            try {
                for (int i = 0; i < 5; i++) {
                    session.append(new StoredEvent(++next, "a", StatusKind.SUCCESS, "{\"r\":\"" + big + "\"}"), null,
                            null, 0, 2);
                }
                session.commit(next);
                seq = next;
            } catch (StoreException e) {
                full = e;
                session.rollback();
            }
        }
        assertThat(full).as("the page limit was reached").isNotNull();
        assertThat(full.getMessage()).doesNotContain("\n").containsIgnoringCase("full");
        assertThat(store.latestSeq()).isEqualTo(seq);
        assertThat(store.eventCount()).isEqualTo(seq);

        assertThat(session.begin()).isEqualTo(seq);
        session.purge(3); // the flood (stored at 2), not the first event (at 5)
        session.commit(seq);
        long after = session.begin();
        session.append(new StoredEvent(after + 1, "b", StatusKind.SUCCESS, "{\"r\":\"" + big + "\"}"), null, null, 0,
                3);
        session.commit(after + 1);
        assertThat(store.eventsAfter(0, null, 10)).extracting(StoredEvent::seq).containsExactly(1L, after + 1);
    }
}
