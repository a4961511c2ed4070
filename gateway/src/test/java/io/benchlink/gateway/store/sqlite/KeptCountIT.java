package io.benchlink.gateway.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: {@code /healthz} reports the number of events; the SQLite store keeps that number in its {@code meta}
 * table, moved by each batch, instead of counting the log ({@code COUNT(*)} reads a whole index: seconds at 10 M).
 */
@Timeout(30)
class KeptCountIT {
    @TempDir
    Path dir;

    private static long append(WriteSession session, long seq, long storedMillis) {
        DeviceStatus status = new DeviceStatus("AA:BB:CC:DD:EE:01", "SN-1", StatusKind.SUCCESS, null, null,
                LocalDateTime.of(2026, 1, 2, 3, 4, 5), "ok", "bench-" + seq, seq);
        session.append(new StoredEvent(seq, "bench-" + seq, StatusKind.SUCCESS, StatusJson.toJson(status)), "ok", null,
                0, storedMillis);
        return seq;
    }

    private long countedInTheFile() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteEventStore.FILE_NAME));
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private void sql(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteEventStore.FILE_NAME));
             Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void theCountFollowsAppendsPurgesAndRollbacksAndIsReadWithoutCountingTheLog() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir); WriteSession session = store.openWriter()) {
            session.load();
            long seq = session.begin();
            for (int i = 0; i < 5; i++) {
                append(session, ++seq, i < 2 ? 1_000 : 9_000); // two of them stored long ago
            }
            session.commit(seq);
            assertThat(store.eventCount()).isEqualTo(5);

            session.begin();
            assertThat(session.purge(5_000, 1)).isEqualTo(1);
            session.commit(seq);
            session.begin();
            assertThat(session.purge(5_000)).isEqualTo(1);
            session.commit(seq);
            session.begin();
            append(session, seq + 1, 9_000);
            session.purge(10_000);
            session.rollback();

            assertThat(store.eventCount()).isEqualTo(3).isEqualTo(countedInTheFile());
            // a row written behind the writer's back is not seen: the count is kept, not counted
            sql("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (99, 'x', 'online', '{}', 1)");
            assertThat(store.eventCount()).isEqualTo(3);
        }
    }

    @Test
    void aStoreFromBeforeTheCountWasKeptIsCountedOnceWhenTheWriterStarts() throws Exception {
        try (SqliteEventStore store = SqliteEventStore.open(dir); WriteSession session = store.openWriter()) {
            session.load();
            long seq = session.begin();
            for (int i = 0; i < 4; i++) {
                append(session, ++seq, 9_000);
            }
            session.commit(seq);
        }
        sql("DELETE FROM meta WHERE key = 'event_count'");
        try (SqliteEventStore store = SqliteEventStore.open(dir)) {
            assertThat(store.eventCount()).as("no kept count yet: counted").isEqualTo(4);
            try (WriteSession session = store.openWriter()) {
                session.load();
                sql("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (99, 'x', 'online', '{}', 1)");
                assertThat(store.eventCount()).as("kept from the writer's start").isEqualTo(4);
            }
        }
    }
}
