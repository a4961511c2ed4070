package io.benchlink.agent.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL of the spool's write side: schema, insert, delete acked/superseded/expired, renumber. One instance per
 * spool, used only by the spool writer thread after {@link #open} (Owned by: agent-spool-writer), inside the
 * transaction that thread manages; nothing here commits.
 */
final class SpoolDb implements AutoCloseable {
    /** Per-record bytes counted on top of the payload (row header, key, index entries), so tiny rows still count. */
    static final int ROW_OVERHEAD = 64;
    static final String FILE_NAME = "spool.db";
    private static final Logger log = LoggerFactory.getLogger(SpoolDb.class);
    private static final int PAGE_SIZE = 4096; // set explicitly in connect(), so the frame size is known
    private static final int WAL_HEADER = 32;
    private static final int WAL_FRAME_HEADER = 24;

    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement saveLastSeq;

    private SpoolDb(Connection connection) throws SQLException {
        this.connection = connection;
        this.insert = connection.prepareStatement(
                "INSERT INTO status(seq, device_id, link, created_ms, size, payload) VALUES (?, ?, ?, ?, ?, ?)");
        this.saveLastSeq = connection.prepareStatement(
                "INSERT INTO meta(key, value) VALUES ('last_seq', ?)"
                        + " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    }

    static SpoolDb open(Path dir) throws SQLException {
        boolean unclean = reportUncleanShutdown(dir);
        Connection connection = connect(dir);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS status(seq INTEGER PRIMARY KEY, device_id TEXT NOT NULL,"
                    + " link INTEGER NOT NULL, created_ms INTEGER NOT NULL, size INTEGER NOT NULL,"
                    + " payload TEXT NOT NULL)");
            s.execute("CREATE INDEX IF NOT EXISTS status_link ON status(device_id, seq) WHERE link = 1");
            s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
            if (unclean) {
                // Only after a crash: quick_check reads the whole file, seconds for a full 1 GiB spool.
                quickCheck(s, dir, connection);
            }
        }
        connection.setAutoCommit(false);
        return new SpoolDb(connection);
    }

    private static void quickCheck(Statement s, Path dir, Connection connection) throws SQLException {
        try (ResultSet check = s.executeQuery("PRAGMA quick_check")) {
            String verdict = check.next() ? check.getString(1) : "no answer";
            if (!"ok".equals(verdict)) {
                connection.close();
                throw new SpoolException("spool database " + dir.resolve(FILE_NAME) + " is damaged (" + verdict
                        + "); move it aside to start an empty spool");
            }
        }
    }

    /**
     * A clean close checkpoints and deletes the write-ahead log, so a log present before open means the last run
     * died. A log whose length is not a whole number of frames was torn mid-write; SQLite checks each frame's
     * checksum and replays only complete commits, so the valid records before the tear are kept.
     */
    private static boolean reportUncleanShutdown(Path dir) {
        Path wal = dir.resolve(FILE_NAME + "-wal");
        try {
            if (!Files.exists(wal) || Files.size(wal) == 0) {
                return false;
            }
            long size = Files.size(wal);
            long frames = size - WAL_HEADER;
            if (frames % (WAL_FRAME_HEADER + PAGE_SIZE) != 0) {
                log.warn("spool {} - the last run stopped mid-write: torn write-ahead log tail ({} bytes); complete"
                        + " commits are recovered, the torn one is discarded", dir, size);
            } else {
                log.info("spool {} - the last run did not close the spool; recovering {} bytes of write-ahead log",
                        dir, size);
            }
        } catch (IOException e) {
            log.warn("spool {} - cannot inspect the write-ahead log ({})", dir, e.getMessage());
        }
        return true;
    }

    /**
     * WAL with synchronous=FULL: a commit returns only after the WAL is fsynced, and a torn WAL tail (crash during
     * a write) fails its frame checksum, so SQLite replays exactly the commits that completed.
     */
    static Connection connect(Path dir) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE_NAME));
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
            s.execute("PRAGMA page_size = " + PAGE_SIZE);
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("PRAGMA synchronous = FULL");
        }
        return connection;
    }

    /** The highest seq ever assigned: the saved counter, or the highest row if the counter is behind. */
    long lastSeq() throws SQLException {
        return Math.max(queryLong("SELECT COALESCE(MAX(value), 0) FROM meta WHERE key = 'last_seq'"),
                queryLong("SELECT COALESCE(MAX(seq), 0) FROM status"));
    }

    long bytes() throws SQLException {
        return queryLong("SELECT COALESCE(SUM(size), 0) + COUNT(*) * " + ROW_OVERHEAD + " FROM status");
    }

    long depth() throws SQLException {
        return queryLong("SELECT COUNT(*) FROM status");
    }

    void insert(long seq, String deviceId, boolean link, long createdMs, int size, String payload)
            throws SQLException {
        insert.setLong(1, seq);
        insert.setString(2, deviceId);
        insert.setInt(3, link ? 1 : 0);
        insert.setLong(4, createdMs);
        insert.setInt(5, size);
        insert.setString(6, payload);
        insert.executeUpdate();
    }

    void saveLastSeq(long seq) throws SQLException {
        saveLastSeq.setLong(1, seq);
        saveLastSeq.executeUpdate();
    }

    /** {count, counted bytes} of the records up to {@code seq}. */
    long[] countUpTo(long seq) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(
                "SELECT COUNT(*), COALESCE(SUM(size), 0) + COUNT(*) * " + ROW_OVERHEAD
                        + " FROM status WHERE seq <= ?")) {
            p.setLong(1, seq);
            try (ResultSet r = p.executeQuery()) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2)};
            }
        }
    }

    int deleteUpTo(long seq) throws SQLException {
        return update("DELETE FROM status WHERE seq <= ?", seq);
    }

    int deleteCreatedBefore(long createdMs) throws SQLException {
        return update("DELETE FROM status WHERE created_ms < ?", createdMs);
    }

    /** Deletes every online/offline status of a device that has a newer online/offline status in the spool. */
    int deleteSupersededLinkStatuses() throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate("DELETE FROM status WHERE link = 1 AND seq < (SELECT MAX(n.seq) FROM status n"
                    + " WHERE n.link = 1 AND n.device_id = status.device_id)");
        }
    }

    /** Moves every record up by {@code shift}, order kept. */
    void shift(long shift) throws SQLException {
        // Two steps through negative keys: a single "seq = seq + shift" could hit a not-yet-moved key mid-update.
        update("UPDATE status SET seq = -(seq + ?)", shift);
        try (Statement s = connection.createStatement()) {
            s.executeUpdate("UPDATE status SET seq = -seq");
        }
    }

    void commit() throws SQLException {
        connection.commit();
    }

    void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the next commit attempt reports it
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    private int update(String sql, long value) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement(sql)) {
            p.setLong(1, value);
            return p.executeUpdate();
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getLong(1) : 0;
        }
    }
}
