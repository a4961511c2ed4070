package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * One writer's batch transaction on PostgreSQL, against a real server: the seq lock, the shared dedup by agent mark,
 * idempotency keys, retention, the NOTIFY of a commit, and what a failed batch leaves (nothing, and no open
 * transaction). What several gateways add is PostgresStoreIT's; what every store keeps is the store contract's.
 */
@Timeout(60)
class PostgresWriteSessionTest {
    private PostgresDatabase db;
    private PostgresEventStore store;
    private WriteSession session;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
        session = store.openWriter();
    }

    @AfterEach
    void close() {
        session.close();
        db.close();
    }

    static StoredEvent event(long seq, String device) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", StatusKind.FAIL, null, null,
                LocalDateTime.of(2026, 1, 2, 3, 4, 5), "bad", device, seq);
        return new StoredEvent(seq, device, StatusKind.FAIL, StatusJson.toJson(status));
    }

    /** A batch of one agent's statuses with a writer's bookkeeping; returns the batch's last seq. */
    private static long agentBatch(WriteSession session, String agent, long... agentSeqs) {
        long seq = session.begin();
        for (long agentSeq : agentSeqs) {
            session.append(event(++seq, "bench-1"), "bad", agent, agentSeq, 1_000);
            session.saveAgentMark(agent, agentSeq);
        }
        session.commit(seq);
        return seq;
    }

    private int openTransactions() {
        return Integer.parseInt(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state LIKE 'idle in transaction%'"));
    }

    @Test
    void aSecondWriterWaitsForTheSeqLockAndThenReadsTheSeqTheFirstCommitted() throws Exception {
        try (WriteSession other = db.open().openWriter()) {
            long seq = session.begin();
            session.append(event(seq + 1, "bench-1"), "bad", null, 0, 1_000);
            session.append(event(seq + 2, "bench-2"), "bad", null, 0, 1_000);

            CompletableFuture<Long> second = CompletableFuture.supplyAsync(other::begin);
            await().atMost(Duration.ofSeconds(20)).until(() -> db.waitingForLocks() == 1);
            assertThat(second).isNotDone();
            session.commit(seq + 2);

            assertThat(second.get(20, TimeUnit.SECONDS)).isEqualTo(2);
            other.rollback();
        }
    }

    @Test
    void aRolledBackOrClosedBatchLeavesNoTransactionOpenAndNoLockHeld() throws Exception {
        session.begin();
        session.append(event(1, "bench-1"), "bad", null, 0, 1_000);
        session.rollback();
        assertThat(openTransactions()).isZero();

        WriteSession closed = store.openWriter();
        closed.begin();
        closed.close();
        assertThat(openTransactions()).isZero();
        assertThat(CompletableFuture.supplyAsync(session::begin).get(20, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void returnsItsConnectionAfterEveryBatchSoMoreBatchesThanPooledConnectionsRun() {
        for (int batch = 1; batch <= 8; batch++) {
            session.begin();
            session.rollback();
        }
        for (int batch = 1; batch <= 8; batch++) {
            long seq = session.begin();
            session.append(event(seq + 1, "bench-1"), "bad", null, 0, 1_000);
            session.commit(seq + 1);
        }
        assertThat(store.latestSeq()).isEqualTo(8);
        assertThat(openTransactions()).isZero();
    }

    @Test
    void beginRetriesOnceWhenThePooledConnectionWasEndedByTheDatabase() throws Exception {
        agentBatch(session, "rig-1", 1);
        int backend;
        try (Connection c = store.connection(); Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            backend = rs.getInt(1);
        }
        // the pool hands this thread the connection it just returned, without a check: end it as a restart would
        db.execute("SELECT pg_terminate_backend(" + backend + ")");

        assertThat(session.begin()).isEqualTo(1);
        session.rollback();
    }

    @Test
    void beginSaysInOneLineWhenNoConnectionCanBeHad() {
        store.close();
        assertThatThrownBy(session::begin).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot begin a store transaction (").hasMessageNotContaining("\n");
    }

    @Test
    void callsOfABatchBeforeBeginAreRefused() {
        assertThatThrownBy(() -> session.agentMark("rig-1")).isInstanceOf(StoreException.class)
                .hasMessage("no store transaction open (begin() first)");
        assertThatThrownBy(() -> session.findIdempotent("k")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> session.purge(1)).isInstanceOf(StoreException.class);
    }

    @Test
    void loadsTheCommittedSeqMarksAndEachDevicesLastStateWithItsResult() {
        long seq = session.begin();
        session.append(event(seq + 1, "bench-1"), "bad", "rig-1", 3, 1_000);
        session.append(event(seq + 2, "bench-2"), null, "rig-2", 9, 1_000);
        session.saveAgentMark("rig-1", 3);
        session.saveAgentMark("rig-2", 9);
        session.commit(seq + 2);

        WriteSession.Committed committed = store.openWriter().load();
        assertThat(committed.lastSeq()).isEqualTo(2);
        assertThat(committed.agentMarks()).containsOnly(java.util.Map.entry("rig-1", 3L), java.util.Map.entry("rig-2", 9L));
        assertThat(committed.devices()).containsOnly(
                java.util.Map.entry("bench-1", new WriteSession.DeviceState(StatusKind.FAIL, "bad")),
                java.util.Map.entry("bench-2", new WriteSession.DeviceState(StatusKind.FAIL, null)));
    }

    @Test
    void loadSaysInOneLineWhenTheStoreCannotBeRead() {
        store.close();
        assertThatThrownBy(session::load).isInstanceOf(StoreException.class).hasMessageStartingWith("cannot read store (");
    }

    @Test
    void anAgentStatusAtOrBelowTheCommittedMarkIsNotStoredAgainNorTwiceInOneBatch() {
        agentBatch(session, "rig-1", 4, 5);

        long seq = session.begin();
        assertThat(session.agentMark("rig-1")).isEqualTo(5); // read with the lock: rig-1 wrote in the last batch
        session.append(event(seq + 1, "bench-1"), "bad", "rig-1", 5, 1_000);
        session.append(event(seq + 2, "bench-1"), "bad", "rig-1", 6, 1_000);
        assertThat(session.agentMark("rig-1")).isEqualTo(6); // this batch's own appends count
        session.append(event(seq + 3, "bench-1"), "bad", "rig-1", 6, 1_000);
        session.append(event(seq + 4, "bench-2"), "bad", null, 0, 1_000);
        session.commit(seq + 4);

        assertThat(db.rows("SELECT seq, agent_id, agent_seq FROM events ORDER BY seq"))
                .containsExactly("1 rig-1 4", "2 rig-1 5", "4 rig-1 6", "6 null null");
    }

    @Test
    void readsTheMarkOfAnAgentItDidNotWriteForInTheLastBatchAfresh() {
        try (WriteSession other = db.open().openWriter()) {
            agentBatch(other, "rig-1", 5);
            session.begin();
            assertThat(session.agentMark("rig-1")).isEqualTo(5);
            assertThat(session.agentMark("rig-9")).isZero();
            session.rollback();

            agentBatch(other, "rig-1", 9);
            session.begin();
            assertThat(session.agentMark("rig-1")).isEqualTo(9); // not the 5 read in the earlier batch
            session.rollback();
        }
    }

    @Test
    void agentMarkSaysInOneLineWhenItCannotBeRead() {
        session.begin();
        db.terminate("benchlink-gateway"); // as a database restart ends the batch's connection
        assertThatThrownBy(() -> session.agentMark("rig-1")).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read the agent's mark (");
    }

    @Test
    void aSavedMarkIsTheHighestSavedInTheBatchAndNeverLowersTheCommittedOne() {
        long seq = session.begin();
        session.saveAgentMark("rig-1", 7);
        session.saveAgentMark("rig-1", 3);
        session.commit(seq);
        assertThat(store.agentMark("rig-1")).isEqualTo(7);

        seq = session.begin();
        session.saveAgentMark("rig-1", 2);
        session.commit(seq);
        assertThat(store.agentMark("rig-1")).isEqualTo(7);
    }

    @Test
    void findsAnIdempotencyKeyInItsOwnBatchInALaterBatchOfTheSameSessionAndNotAnUnknownOne() {
        long seq = session.begin();
        StoredEvent first = event(seq + 1, "bench-1");
        session.append(first, "bad", null, 0, 1_000);
        session.saveIdempotent("key-1", first.seq(), 1_000);
        assertThat(session.findIdempotent("key-1")).contains(first);
        session.commit(seq + 1);

        session.begin();
        assertThat(session.findIdempotent("key-1")).contains(first);
        assertThat(session.findIdempotent("key-2")).isEmpty();
        session.rollback();
        assertThat(db.rows("SELECT key, seq, stored_ms FROM idempotency")).containsExactly("key-1 1 1000");
    }

    @Test
    void findIdempotentSaysInOneLineWhenItCannotRead() {
        session.begin();
        db.execute("ALTER TABLE idempotency RENAME TO idempotency_away");
        assertThatThrownBy(() -> session.findIdempotent("key-1")).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read store (");
    }

    @Test
    void purgeDropsEventsAndKeysStoredStrictlyBeforeTheBoundaryCountsTheEventsAndKeepsDevicesAndMarks() {
        long seq = session.begin();
        for (long stored : new long[] {998, 999, 1_000, 1_001}) {
            session.append(event(++seq, "bench-" + stored), "bad", null, 0, stored);
            session.saveIdempotent("key-" + stored, seq, stored);
        }
        session.saveAgentMark("rig-1", 12);
        session.commit(seq);

        session.begin();
        assertThat(session.purge(1_000)).isEqualTo(2);
        session.commit(seq);

        assertThat(db.rows("SELECT stored_ms FROM events ORDER BY seq")).containsExactly("1000", "1001");
        assertThat(db.rows("SELECT key FROM idempotency ORDER BY key")).containsExactly("key-1000", "key-1001");
        assertThat(db.rows("SELECT count(*) FROM devices")).containsExactly("4");
        assertThat(store.agentMark("rig-1")).isEqualTo(12); // marks are kept: a retried old status stays a repeat
        assertThat(store.latestSeq()).isEqualTo(4);
    }

    @Test
    void purgeSaysInOneLineWhenItCannotDelete() {
        session.begin();
        db.execute("ALTER TABLE events RENAME TO events_away");
        assertThatThrownBy(() -> session.purge(1_000)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot drop old events (");
    }

    @Test
    void storesEachDevicesLastStatusOfTheBatchWithItsResultAndJson() {
        long seq = session.begin();
        StoredEvent last = event(seq + 3, "bench-1");
        session.append(event(seq + 1, "bench-1"), "first", null, 0, 1_000);
        session.append(event(seq + 2, "bench-2"), null, null, 0, 1_000);
        session.append(last, "last", null, 0, 1_000);
        session.commit(seq + 3);

        assertThat(db.rows("SELECT device_id, seq, status, result FROM devices ORDER BY device_id"))
                .containsExactly("bench-1 3 fail last", "bench-2 2 fail null");
        assertThat(db.value("SELECT json FROM devices WHERE device_id = 'bench-1'")).isEqualTo(last.json());
        assertThat(db.rows("SELECT seq, device_id, status, stored_ms FROM events ORDER BY seq"))
                .containsExactly("1 bench-1 fail 1000", "2 bench-2 fail 1000", "3 bench-1 fail 1000");
    }

    @Test
    void notifiesTheBatchsLastSeqAfterCommitOnlyWhenItStoredEvents() throws Exception {
        try (Connection listen = db.connect(); Statement st = listen.createStatement()) {
            st.execute("LISTEN " + PostgresWriteSession.CHANNEL);
            session.begin();
            session.commit(100); // a seq floor only: nothing to tell the feeds
            long seq = session.begin();
            session.append(event(seq + 1, "bench-1"), "bad", null, 0, 1_000);
            session.commit(seq + 1);

            List<String> payloads = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                PGNotification[] got = listen.unwrap(PGConnection.class).getNotifications(100);
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    payloads.add(n.getParameter());
                }
                return !payloads.isEmpty();
            });
            assertThat(payloads).containsExactly("101");
        }
    }

    @Test
    void aFailedCommitSaysSoInOneLineLeavesNothingAndTheNextBatchWorks() {
        agentBatch(session, "rig-1", 1);
        long seq = session.begin();
        session.append(event(seq + 1, "bench-2"), "bad", null, 0, 1_000);
        session.append(event(seq, "bench-3"), "bad", null, 0, 1_000); // seq 1 again: the primary key refuses it
        session.saveAgentMark("rig-1", 50);
        assertThatThrownBy(() -> session.commit(seq + 1)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("store commit failed (").hasMessageNotContaining("\n");

        assertThat(openTransactions()).isZero();
        assertThat(store.eventCount()).isEqualTo(1);
        assertThat(store.agentMark("rig-1")).isEqualTo(1);
        assertThat(agentBatch(session, "rig-1", 2)).isEqualTo(2);
    }

    @Test
    void refusesEventJsonHoldingTheBatchSeparatorAnywhereAndWorksAfter() {
        for (String json : List.of("\u001f{}", "{\"a\":\"\u001f\"}")) {
            long seq = session.begin();
            session.append(new StoredEvent(seq + 1, "bench-1", StatusKind.FAIL, json), null, null, 0, 1_000);
            assertThatThrownBy(() -> session.commit(seq + 1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(openTransactions()).isZero();
        assertThat(agentBatch(session, "rig-1", 1)).isEqualTo(1);
    }
}
