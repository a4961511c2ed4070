package io.benchlink.gateway.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.benchlink.gateway.store.WriteSession;
import io.benchlink.gateway.testing.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 18: {@code /healthz} reports the number of events; the PostgreSQL store keeps that number in {@code meta},
 * moved by each writer's batch under the seq lock, instead of counting the table ({@code COUNT(*)} reads all of it:
 * seconds at 10 M). The SQLite side is {@code sqlite.KeptCountIT}.
 */
@Timeout(60)
class PostgresKeptCountIT {
    private final String url = PostgresServer.shared().createDatabase();

    private void sql(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long countedInTheTable() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM events")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    private static void insertBehindTheWritersBack(Statement st, long seq) throws Exception {
        st.execute("INSERT INTO events(seq, device_id, status, json, stored_ms) VALUES (" + seq
                + ", 'x', 'online', '{}', 1)");
    }

    @Test
    void twoGatewaysWritersMoveOneCountThroughAppendsPurgesAndRollbacksAndItIsReadWithoutCounting() throws Exception {
        try (PostgresEventStore a = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
             PostgresEventStore b = PostgresEventStore.open(PostgresLocation.of(url, Map.of()));
             WriteSession onA = a.openWriter(); WriteSession onB = b.openWriter()) {
            long seq = onA.begin();
            for (int i = 0; i < 3; i++) {
                onA.append(PostgresStoreIT.event(++seq, "bench-1"), null, null, 0, i == 0 ? 1_000 : 9_000);
            }
            onA.commit(seq);
            seq = onB.begin();
            onB.append(PostgresStoreIT.event(++seq, "bench-2"), null, null, 0, 1_000);
            onB.append(PostgresStoreIT.event(++seq, "bench-2"), null, null, 0, 9_000);
            onB.commit(seq);
            assertThat(a.eventCount()).isEqualTo(5);
            assertThat(b.eventCount()).isEqualTo(5);

            seq = onA.begin();
            assertThat(onA.purge(5_000)).isEqualTo(2); // one of each gateway's
            onA.append(PostgresStoreIT.event(++seq, "bench-1"), null, null, 0, 9_000);
            onA.commit(seq);
            seq = onB.begin();
            onB.append(PostgresStoreIT.event(++seq, "bench-2"), null, null, 0, 9_000);
            onB.purge(10_000);
            onB.rollback();

            assertThat(b.eventCount()).isEqualTo(4).isEqualTo(countedInTheTable());
            // a row written behind the writers' backs is not seen: the count is kept, not counted
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                insertBehindTheWritersBack(st, 1_000_000);
            }
            assertThat(a.eventCount()).isEqualTo(4);
        }
    }

    @Test
    void aDatabaseFromBeforeTheCountWasKeptIsCountedOnceByTheMigration() throws Exception {
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/postgresql").target("3")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (long seq = 1; seq <= 3; seq++) {
                insertBehindTheWritersBack(st, seq);
            }
        }
        try (PostgresEventStore store = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
            assertThat(store.eventCount()).as("counted by the migration").isEqualTo(3);
            sql("DELETE FROM events WHERE seq = 1");
            assertThat(store.eventCount()).as("and only then").isEqualTo(3);
        }
        try (PostgresEventStore reopened = PostgresEventStore.open(PostgresLocation.of(url, Map.of()))) {
            assertThat(reopened.eventCount()).as("not counted again at the next open").isEqualTo(3);
        }
    }
}
