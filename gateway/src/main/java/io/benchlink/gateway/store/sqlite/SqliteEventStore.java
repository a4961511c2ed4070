package io.benchlink.gateway.store.sqlite;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.StoreUnusableException;
import io.benchlink.gateway.store.WriteSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.sqlite.SQLiteConfig;

/**
 * The embedded SQLite {@link EventStore} in {@code --data-dir} (one file, WAL mode, {@code synchronous=FULL}).
 * This class is the read side; the writer's connection is a {@link SqliteWriteSession}. Reads use their own
 * connection, so in WAL mode they never wait for the writer. Thread-safe: reads are serialised on one read
 * connection.
 */
public final class SqliteEventStore implements EventStore {
    public static final String FILE_NAME = "benchlink.db";
    /** Issue 18: the {@code meta} key of the kept event count (see {@link SqliteWriteSession}). */
    static final String EVENT_COUNT = "event_count";

    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    private final Path file;
    private final int maxPageCount;
    private final Connection reader;

    private SqliteEventStore(Path file, int maxPageCount, Connection reader) {
        this.file = file;
        this.maxPageCount = maxPageCount;
        this.reader = reader;
    }

    public static SqliteEventStore open(Path dataDir) {
        return open(dataDir, 0);
    }

    /**
     * With {@code maxPageCount > 0} every connection is limited to that many pages ({@code PRAGMA max_page_count}):
     * a full disk on demand, for the tests of issue 14.5.
     */
    public static SqliteEventStore open(Path dataDir, int maxPageCount) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            try (Connection setup = connect(file, maxPageCount)) {
                SqliteSchema.create(setup);
            }
            return new SqliteEventStore(file, maxPageCount, connect(file, maxPageCount));
        } catch (SQLException e) {
            int primary = e.getErrorCode() & 0xFF; // extended result codes keep the primary one in the low byte
            if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
                throw new StoreUnusableException(file + " is damaged or not a Benchlink store (" + oneLine(e)
                        + "); the gateway did not start. Recovery: docs/OPERATIONS.md, \"Store file damaged\"", e);
            }
            throw new StoreException("cannot open store in " + dataDir + " (" + oneLine(e) + ")", e);
        } catch (IOException e) {
            throw new StoreException("cannot open store in " + dataDir + " (" + e.getMessage() + ")", e);
        }
    }

    private static String oneLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    static Connection connect(Path file, int maxPageCount) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        // the driver would otherwise run "SELECT last_insert_rowid()" after every insert; seq is ours, not a rowid
        config.setGetGeneratedKeys(false);
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
                config.toProperties());
        SqliteSchema.configure(connection);
        if (maxPageCount > 0) {
            try (java.sql.Statement st = connection.createStatement()) {
                st.execute("PRAGMA max_page_count = " + maxPageCount);
            }
        }
        return connection;
    }

    Path file() {
        return file;
    }

    @Override
    public WriteSession openWriter() {
        try {
            return new SqliteWriteSession(() -> connect(file, maxPageCount));
        } catch (SQLException e) {
            throw new StoreException("cannot open store for writing (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public synchronized List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        String sql = deviceId == null
                ? "SELECT seq, device_id, status, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
                : "SELECT seq, device_id, status, json FROM events WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?";
        try (PreparedStatement st = reader.prepareStatement(sql)) {
            int i = 1;
            if (deviceId != null) {
                st.setString(i++, deviceId);
            }
            st.setLong(i++, since);
            st.setInt(i, limit);
            return readEvents(st);
        } catch (SQLException e) {
            throw new StoreException("cannot read events (" + e.getMessage() + ")", e);
        }
    }

    /** Keyset page on the devices table's primary key; the same read transaction gives the high-water seq. */
    @Override
    public synchronized Snapshot devicesAfter(String afterDeviceId, int limit) {
        try {
            reader.setAutoCommit(false);
            try (PreparedStatement st = reader.prepareStatement("SELECT seq, device_id, status, json FROM devices"
                    + " WHERE device_id > ? ORDER BY device_id LIMIT ?")) {
                st.setString(1, afterDeviceId == null ? "" : afterDeviceId);
                st.setInt(2, limit);
                List<StoredEvent> devices = readEvents(st);
                return new Snapshot(devices, readMeta(reader, "last_seq"));
            } finally {
                reader.commit();
                reader.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read devices (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized List<StoredEvent> lastStatusKinds() {
        try (PreparedStatement st = reader.prepareStatement("SELECT seq, device_id, status FROM devices"
                + " ORDER BY device_id"); ResultSet rs = st.executeQuery()) {
            List<StoredEvent> devices = new ArrayList<>();
            while (rs.next()) {
                devices.add(new StoredEvent(rs.getLong(1), rs.getString(2), StatusKind.fromWire(rs.getString(3)), ""));
            }
            return devices;
        } catch (SQLException e) {
            throw new StoreException("cannot read devices (" + e.getMessage() + ")", e);
        }
    }

    /** Keyset page on {@code devices_by_seq}; the same read transaction gives the high-water seq. */
    @Override
    public synchronized Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        try {
            reader.setAutoCommit(false);
            try (PreparedStatement st = reader.prepareStatement("SELECT seq, device_id, status, json FROM devices"
                    + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?")) {
                st.setLong(1, afterSeq);
                st.setLong(2, maxSeq);
                st.setInt(3, limit);
                List<StoredEvent> devices = readEvents(st);
                return new Snapshot(devices, readMeta(reader, "last_seq"));
            } finally {
                reader.commit();
                reader.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read devices (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized Snapshot snapshot(String deviceId) {
        try {
            reader.setAutoCommit(false);
            try {
                String sql = deviceId == null
                        ? "SELECT seq, device_id, status, json FROM devices ORDER BY device_id"
                        : "SELECT seq, device_id, status, json FROM devices WHERE device_id = ?";
                List<StoredEvent> devices;
                try (PreparedStatement st = reader.prepareStatement(sql)) {
                    if (deviceId != null) {
                        st.setString(1, deviceId);
                    }
                    devices = readEvents(st);
                }
                return new Snapshot(devices, readMeta(reader, "last_seq"));
            } finally {
                reader.commit();
                reader.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read snapshot (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Served by the {@code events_by_time} index. Issue 18: without the unary {@code +} SQLite takes {@code seq <= ?}
     * as a primary-key range and, as that range is nearly the whole log, scanned every event (10 M on a year's store).
     */
    static final String RESULT_COUNTS = "SELECT device_id, status, stored_ms / 60000 AS minute, COUNT(*) FROM events"
            + " WHERE stored_ms >= ? AND +seq <= ? AND status IN ('success', 'fail', 'error')"
            + " GROUP BY device_id, status, minute";

    @Override
    public synchronized List<ResultCount> resultCounts(long fromMillis, long maxSeq) {
        try (PreparedStatement st = reader.prepareStatement(RESULT_COUNTS)) {
            st.setLong(1, fromMillis);
            st.setLong(2, maxSeq);
            List<ResultCount> counts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.add(new ResultCount(rs.getString(1), StatusKind.fromWire(rs.getString(2)), rs.getLong(3),
                            rs.getLong(4)));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new StoreException("cannot count results (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized long oldestSeq() {
        return scalar("SELECT COALESCE(MIN(seq), 0) FROM events");
    }

    @Override
    public synchronized long latestSeq() {
        try {
            return readMeta(reader, "last_seq");
        } catch (SQLException e) {
            throw new StoreException("cannot read store (" + e.getMessage() + ")", e);
        }
    }

    /** The count the writer keeps in {@code meta}; counted only on a store no writer of this version opened yet. */
    @Override
    public synchronized long eventCount() {
        try {
            long kept = readMeta(reader, EVENT_COUNT, -1);
            return kept >= 0 ? kept : scalar("SELECT COUNT(*) FROM events");
        } catch (SQLException e) {
            throw new StoreException("cannot read store (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public synchronized long agentMark(String agentId) {
        try (PreparedStatement st = reader.prepareStatement("SELECT last_seq FROM agents WHERE agent_id = ?")) {
            st.setString(1, agentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read store (" + e.getMessage() + ")", e);
        }
    }

    /** The database file and its write-ahead log. */
    @Override
    public long sizeBytes() {
        try {
            long total = Files.size(file);
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            return total + (Files.exists(wal) ? Files.size(wal) : 0);
        } catch (IOException e) {
            return -1;
        }
    }

    private long scalar(String sql) {
        try (PreparedStatement st = reader.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StoreException("cannot read store (" + e.getMessage() + ")", e);
        }
    }

    static long readMeta(Connection connection, String key) throws SQLException {
        return readMeta(connection, key, 0);
    }

    static long readMeta(Connection connection, String key, long missing) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : missing;
            }
        }
    }

    private static List<StoredEvent> readEvents(PreparedStatement st) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                events.add(new StoredEvent(rs.getLong(1), rs.getString(2), StatusKind.fromWire(rs.getString(3)),
                        rs.getString(4)));
            }
        }
        return events;
    }

    @Override
    public synchronized void close() {
        try {
            reader.close();
        } catch (SQLException e) {
            // closing a read connection loses nothing
        }
    }
}
