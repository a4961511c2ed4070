package io.benchlink.gateway.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the tables once; every connection gets the same pragmas. */
final class SqliteSchema {
    private static final String[] TABLES = {
        "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, device_id TEXT NOT NULL, status TEXT NOT NULL,"
            + " json TEXT NOT NULL, agent_id TEXT, agent_seq INTEGER, stored_ms INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS events_by_device ON events(device_id, seq)",
        "CREATE INDEX IF NOT EXISTS events_by_time ON events(stored_ms)",
        "CREATE TABLE IF NOT EXISTS devices(device_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, status TEXT NOT NULL,"
            + " result TEXT, json TEXT NOT NULL)",
        // Issue 18: the snapshot is sent in seq order a page at a time (keyset on seq), not sorted in memory
        "CREATE INDEX IF NOT EXISTS devices_by_seq ON devices(seq)",
        "CREATE TABLE IF NOT EXISTS agents(agent_id TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)",
        "CREATE TABLE IF NOT EXISTS idempotency(key TEXT PRIMARY KEY, seq INTEGER NOT NULL, stored_ms INTEGER NOT NULL)",
        // Issue 18: the sweep deletes expired keys in chunks, oldest first, as it does events
        "CREATE INDEX IF NOT EXISTS idempotency_by_time ON idempotency(stored_ms)",
        "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)",
    };

    private SqliteSchema() {
    }

    static void configure(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            // FULL: a committed (and so acknowledged) event survives power loss, not only a killed process.
            st.execute("PRAGMA synchronous=FULL");
            st.execute("PRAGMA busy_timeout=5000");
        }
    }

    static void create(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement()) {
            for (String sql : TABLES) {
                st.execute(sql);
            }
        }
    }
}
