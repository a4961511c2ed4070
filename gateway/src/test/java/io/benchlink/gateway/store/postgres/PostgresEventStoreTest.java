package io.benchlink.gateway.store.postgres;

import static io.benchlink.gateway.store.postgres.PostgresWriteSessionTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PostgreSQL store's reads, its locked publish and its connection handling, against a real server; the reads
 * every store shares are pinned where this store's SQL can get them wrong (the device filter, the bounds, the
 * empty log), and every failure is a one-line {@link StoreException}.
 */
@Timeout(60)
class PostgresEventStoreTest {
    private static final long MINUTE = 60_000;
    private final WallClock clock = new WallClock(Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC));
    private PostgresDatabase db;
    private PostgresEventStore store;

    @BeforeEach
    void open() {
        db = PostgresDatabase.create();
        store = db.open();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** Commits {@code kind} statuses for {@code devices}, each stored at {@code storedMillis}. */
    private void commit(StatusKind kind, long storedMillis, String... devices) {
        try (WriteSession session = store.openWriter()) {
            long seq = session.begin();
            for (String device : devices) {
                StoredEvent e = new StoredEvent(++seq, device, kind, event(seq, device).json());
                session.append(e, null, null, 0, storedMillis);
            }
            session.commit(seq);
        }
    }

    @Test
    void anEmptyLogHasNoSeqsNoEventsAndNoDevices() {
        assertThat(store.oldestSeq()).isZero();
        assertThat(store.latestSeq()).isZero();
        assertThat(store.eventCount()).isZero();
        assertThat(store.eventsAfter(0, null, 10)).isEmpty();
        assertThat(store.snapshot(null)).isEqualTo(new Snapshot(List.of(), 0));
        assertThat(store.agentMark("rig-1")).isZero();
    }

    @Test
    void readsEventsAfterASeqForAllDevicesOrOneUpToTheLimit() {
        commit(StatusKind.FAIL, 1_000, "a", "b", "a", "b", "a");

        List<StoredEvent> after = store.eventsAfter(1, null, 3);
        assertThat(after).extracting(StoredEvent::seq).containsExactly(2L, 3L, 4L);
        assertThat(after.get(0)).isEqualTo(new StoredEvent(2, "b", StatusKind.FAIL, event(2, "b").json()));
        assertThat(store.eventsAfter(1, "a", 10)).extracting(StoredEvent::seq).containsExactly(3L, 5L);
        assertThat(store.eventsAfter(3, "a", 1)).extracting(StoredEvent::seq).containsExactly(5L);
        assertThat(store.oldestSeq()).isEqualTo(1);
        assertThat(store.latestSeq()).isEqualTo(5);
        assertThat(store.eventCount()).isEqualTo(5);
    }

    @Test
    void aSnapshotHoldsEveryDevicesLastStatusOrOnesWithTheHighWater() {
        commit(StatusKind.FAIL, 1_000, "b", "a", "b");

        assertThat(store.snapshot(null)).isEqualTo(new Snapshot(List.of(
                new StoredEvent(2, "a", StatusKind.FAIL, event(2, "a").json()),
                new StoredEvent(3, "b", StatusKind.FAIL, event(3, "b").json())), 3));
        assertThat(store.snapshot("b").devices()).extracting(StoredEvent::seq).containsExactly(3L);
        assertThat(store.snapshot("c")).isEqualTo(new Snapshot(List.of(), 3));
        assertThat(db.sessions("benchlink-gateway")).isPositive();
        assertThat(Integer.parseInt(db.value("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                + " AND state LIKE 'idle in transaction%'"))).isZero();
    }

    @Test
    void countsResultsPerDeviceKindAndMinuteFromATimeInclusiveUpToASeqInclusive() {
        long from = 100 * MINUTE;
        commit(StatusKind.SUCCESS, from - 1, "a"); // seq 1: before the window
        commit(StatusKind.SUCCESS, from, "a", "a"); // seqs 2, 3: at its start
        commit(StatusKind.FAIL, from + MINUTE, "a", "b"); // seqs 4, 5: the next minute
        commit(StatusKind.ERROR, from, "b"); // seq 6
        commit(StatusKind.ONLINE, from, "b"); // seq 7: not a test result
        commit(StatusKind.SUCCESS, from, "b"); // seq 8: after maxSeq

        assertThat(store.resultCounts(from, 7)).containsExactlyInAnyOrder(
                new ResultCount("a", StatusKind.SUCCESS, 100, 2),
                new ResultCount("a", StatusKind.FAIL, 101, 1),
                new ResultCount("b", StatusKind.FAIL, 101, 1),
                new ResultCount("b", StatusKind.ERROR, 100, 1));
    }

    /**
     * Issue 18: a page of a plant's 50,000 devices reads its own rows through an index range; a sort of the whole
     * table per page made a paced snapshot quadratic.
     */
    @Test
    void aPageOfDevicesIsAnIndexRangeNotASortOfTheTable() {
        db.execute("INSERT INTO devices(device_id, seq, status, result, json) SELECT 'dev-' || lpad(g::text, 5, '0'),"
                + " g, 'success', NULL, '{}' FROM generate_series(1, 20000) g", "ANALYZE devices");

        assertThat(plan(PostgresEventStore.DEVICES_BY_SEQ, 100L, 20_000L, 500))
                .contains("Index Scan using devices_by_seq").doesNotContain("Sort");
        assertThat(plan(PostgresEventStore.DEVICES_AFTER, "dev-00100", 500))
                .contains("Index Scan using devices_pkey").doesNotContain("Sort");
        assertThat(store.devicesBySeq(100, 20_000, 3).devices()).extracting(StoredEvent::seq)
                .containsExactly(101L, 102L, 103L);
    }

    private String plan(String sql, Object... parameters) {
        return String.join("\n", db.rows("EXPLAIN " + sql, parameters));
    }

    @Test
    void namesTheDatabaseWithoutItsPasswordAndMeasuresItsSize() {
        PostgresEventStore withSecret = PostgresEventStore.open(PostgresLocation.of(db.url() + "&password=s3cret",
                Map.of()));
        try {
            assertThat(withSecret.location()).isEqualTo(db.url() + "&password=****");
        } finally {
            withSecret.close();
        }
        assertThat(store.sizeBytes()).isGreaterThan(1_000_000);
    }

    @Test
    void aClosedStoreIsUnreachableHasNoSizeAndSaysEachFailureInOneLine() {
        assertThat(store.reachable()).isTrue();
        store.close();

        assertThat(store.reachable()).isFalse();
        assertThat(store.sizeBytes()).isEqualTo(-1);
        assertThatThrownBy(() -> store.eventsAfter(0, null, 1)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot read events (").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> store.snapshot(null)).hasMessageStartingWith("cannot read snapshot (");
        assertThatThrownBy(() -> store.devicesAfter(null, 1)).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(() -> store.devicesBySeq(0, 1, 1)).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(store::lastStatusKinds).hasMessageStartingWith("cannot read devices (");
        assertThatThrownBy(() -> store.resultCounts(0, 1)).hasMessageStartingWith("cannot count results (");
        assertThatThrownBy(store::latestSeq).hasMessageStartingWith("cannot read store (");
        assertThatThrownBy(() -> store.agentMark("rig-1")).hasMessageStartingWith("cannot read the agent's mark (");
    }

    @Test
    void aFailureMessageKeepsTheFirstLineOfTheReasonOrSaysThereWasNone() {
        StoreException e = PostgresEventStore.failure("cannot x", new SQLException("  first line \nsecond line"));
        assertThat(e).hasMessage("cannot x (first line)");
        assertThat(e.getCause()).isInstanceOf(SQLException.class);
        assertThat(PostgresEventStore.failure("cannot y", new SQLException((String) null)))
                .hasMessage("cannot y (no reason given)");
    }

    @Test
    void connectsUnderItsApplicationNameAndHoldsAtMostSixPooledConnections() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                held.add(store.connection());
            }
            assertThat(db.sessions("benchlink-gateway")).isEqualTo(6);
            // the seventh waits the pool's three seconds and fails: a batch fails fast while the database is away
            long start = System.nanoTime();
            assertThatThrownBy(store::connection).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        try (Connection listen = store.dedicatedConnection()) {
            assertThat(listen.isValid(1)).isTrue();
            assertThat(db.sessions("benchlink-gateway-listen")).isEqualTo(1);
        }
    }

    @Test
    void refusesToOpenASchemaItCannotMigrateInOneLineAndLeavesNoConnection() {
        db.execute("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        store.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> db.sessions("benchlink-gateway") == 0);

        assertThatThrownBy(db::open).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot migrate the PostgreSQL schema (");
        await().atMost(Duration.ofSeconds(20)).until(() -> db.sessions("benchlink-gateway") == 0);
    }

    @Test
    void publishesWhatTheLockedDecisionReturnsAfterTheLastSeqAtTheClocksTime() {
        commit(StatusKind.FAIL, 1_000, "a", "b");

        List<StoredEvent> published = store.publishLocked(clock, c -> List.of(
                DeviceStatus.link("a", StatusKind.OFFLINE, "gone", clock.now()),
                DeviceStatus.link("b", StatusKind.OFFLINE, "gone", clock.now())));

        assertThat(published).extracting(StoredEvent::seq).containsExactly(3L, 4L);
        assertThat(store.eventsAfter(2, null, 10)).isEqualTo(published);
        assertThat(published.get(0).json()).contains("\"seq\":3", "\"updated_at\":\"2026-03-04T05:06:07.000000\"", "gone");
        assertThat(db.rows("SELECT stored_ms FROM events WHERE seq > 2"))
                .containsOnly(Long.toString(clock.clock().millis()));
        assertThat(store.latestSeq()).isEqualTo(4);
        assertThat(store.snapshot("a").devices().get(0).status()).isEqualTo(StatusKind.OFFLINE);
    }

    @Test
    void aDecisionSeesTheTransactionsConnectionAndAnEmptyDecisionStoresNothing() {
        assertThat(store.publishLocked(clock, c -> {
            assertThat(c.getAutoCommit()).isFalse();
            return List.of();
        })).isEmpty();
        assertThat(store.latestSeq()).isZero();
    }

    @Test
    void aFailingDecisionRollsBackAndReleasesTheLock() {
        assertThatThrownBy(() -> store.publishLocked(clock, c -> {
            c.createStatement().execute("INSERT INTO meta(key, value) VALUES ('x', 1)");
            throw new SQLException("refused\nby the test");
        })).isInstanceOf(StoreException.class).hasMessage("cannot publish (refused)");
        assertThatThrownBy(() -> store.publishLocked(clock, c -> {
            c.createStatement().execute("INSERT INTO meta(key, value) VALUES ('y', 1)");
            throw new IllegalStateException("a bug");
        })).isInstanceOf(IllegalStateException.class).hasMessage("a bug");

        assertThat(db.rows("SELECT key FROM meta WHERE key IN ('x', 'y')")).isEmpty();
        try (WriteSession session = store.openWriter()) {
            assertThat(session.begin()).isZero(); // the lock is free again
        }
    }
}
