package io.benchlink.gateway.store.sqlite;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The writer's SQLite connection and its prepared statements: one transaction per batch. A device's and an
 * agent's row is written once per batch, at commit (earlier values of the batch would be overwritten at once).
 *
 * <p>Owned by: {@code gateway-store-writer} (not thread-safe).
 */
final class SqliteWriteSession implements WriteSession {
    /** Opens a configured connection to the store file. */
    interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector connector;
    private Connection connection;
    private PreparedStatement insertEvent;
    private PreparedStatement upsertDevice;
    private PreparedStatement upsertAgent;
    private PreparedStatement upsertSeq;
    private PreparedStatement addCount;
    private PreparedStatement findKey;
    private PreparedStatement insertKey;
    private PreparedStatement selectAgent;
    private PreparedStatement selectLastSeq;
    private boolean broken;
    private final Map<String, Latest> latestOfBatch = new HashMap<>();
    private final Map<String, Long> agentsOfBatch = new HashMap<>();
    private long countOfBatch; // events appended minus events purged in this batch: meta event_count moves by it

    private record Latest(StoredEvent event, String result) {
    }

    SqliteWriteSession(Connector connector) throws SQLException {
        this.connector = connector;
        open();
    }

    private void open() throws SQLException {
        connection = connector.connect();
        try {
            prepare();
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    private void prepare() throws SQLException {
        connection.setAutoCommit(false);
        insertEvent = connection.prepareStatement("INSERT INTO events(seq, device_id, status, json, agent_id,"
                + " agent_seq, stored_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
        upsertDevice = connection.prepareStatement("INSERT INTO devices(device_id, seq, status, result, json)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT(device_id) DO UPDATE SET seq = excluded.seq,"
                + " status = excluded.status, result = excluded.result, json = excluded.json");
        upsertAgent = connection.prepareStatement("INSERT INTO agents(agent_id, last_seq) VALUES (?, ?)"
                + " ON CONFLICT(agent_id) DO UPDATE SET last_seq = excluded.last_seq");
        upsertSeq = connection.prepareStatement("INSERT INTO meta(key, value) VALUES ('last_seq', ?)"
                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        addCount = connection.prepareStatement("UPDATE meta SET value = value + ? WHERE key = '"
                + SqliteEventStore.EVENT_COUNT + "'");
        findKey = connection.prepareStatement("SELECT e.seq, e.device_id, e.status, e.json FROM idempotency k"
                + " JOIN events e ON e.seq = k.seq WHERE k.key = ?");
        insertKey = connection.prepareStatement("INSERT OR REPLACE INTO idempotency(key, seq, stored_ms) VALUES (?, ?, ?)");
        selectAgent = connection.prepareStatement("SELECT last_seq FROM agents WHERE agent_id = ?");
        // prepared once: begin() runs for every batch, and parsing it each time was 3 % of the gateway's CPU in
        // scenario b (docs/PERFORMANCE.md)
        selectLastSeq = connection.prepareStatement("SELECT value FROM meta WHERE key = 'last_seq'");
        connection.commit();
    }

    @Override
    public Committed load() {
        try {
            Map<String, Long> agents = new HashMap<>();
            try (PreparedStatement st = connection.prepareStatement("SELECT agent_id, last_seq FROM agents");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    agents.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, DeviceState> devices = new HashMap<>();
            try (PreparedStatement st = connection.prepareStatement("SELECT device_id, status, result FROM devices");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    devices.put(rs.getString(1), new DeviceState(StatusKind.fromWire(rs.getString(2)), rs.getString(3)));
                }
            }
            long lastSeq = SqliteEventStore.readMeta(connection, "last_seq");
            keepCount();
            connection.commit();
            return new Committed(lastSeq, agents, devices);
        } catch (SQLException e) {
            throw failure("cannot read store", e);
        }
    }

    /**
     * Issue 18: {@code /healthz} reports the number of events; {@code COUNT(*)} reads a whole index for it (seconds at
     * 10 M events), so the count is kept in {@code meta} and moved in each batch's own transaction. A store written
     * by an earlier version has no kept count yet: it is counted here once, when the writer starts.
     */
    private void keepCount() throws SQLException {
        if (SqliteEventStore.readMeta(connection, SqliteEventStore.EVENT_COUNT, -1) >= 0) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO meta(key, value)"
                + " SELECT '" + SqliteEventStore.EVENT_COUNT + "', COUNT(*) FROM events")) {
            st.executeUpdate();
        }
    }

    /** One writer per file (the gateway's), so what this connection last committed is the latest seq. */
    @Override
    public long begin() {
        try {
            if (broken) {
                open();
                broken = false;
            }
            try (ResultSet rs = selectLastSeq.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("cannot read store", e);
        }
    }

    @Override
    public long agentMark(String agentId) {
        try {
            selectAgent.setString(1, agentId);
            try (ResultSet rs = selectAgent.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("cannot read store", e);
        }
    }

    @Override
    public void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis) {
        try {
            insertEvent.setLong(1, event.seq());
            insertEvent.setString(2, event.deviceId());
            insertEvent.setString(3, event.status().wireName());
            insertEvent.setString(4, event.json());
            insertEvent.setString(5, agentId);
            if (agentId == null) {
                insertEvent.setNull(6, Types.INTEGER);
            } else {
                insertEvent.setLong(6, agentSeq);
            }
            insertEvent.setLong(7, storedMillis);
            insertEvent.executeUpdate();
            countOfBatch++;
        } catch (SQLException e) {
            throw failure("cannot store event", e);
        }
        latestOfBatch.put(event.deviceId(), new Latest(event, result));
    }

    @Override
    public void saveAgentMark(String agentId, long agentSeq) {
        agentsOfBatch.put(agentId, agentSeq);
    }

    @Override
    public Optional<StoredEvent> findIdempotent(String key) {
        try {
            findKey.setString(1, key);
            try (ResultSet rs = findKey.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoredEvent(rs.getLong(1), rs.getString(2),
                                StatusKind.fromWire(rs.getString(3)), rs.getString(4)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure("cannot read store", e);
        }
    }

    @Override
    public void saveIdempotent(String key, long seq, long storedMillis) {
        try {
            insertKey.setString(1, key);
            insertKey.setLong(2, seq);
            insertKey.setLong(3, storedMillis);
            insertKey.executeUpdate();
        } catch (SQLException e) {
            throw failure("cannot store idempotency key", e);
        }
    }

    /** Issue 18: one chunk of the sweep, found through {@code events_by_time}, deleted by primary key. */
    @Override
    public int purge(long olderThanMillis, int limit) {
        try (PreparedStatement events = connection.prepareStatement("DELETE FROM events WHERE seq IN"
                + " (SELECT seq FROM events WHERE stored_ms < ? ORDER BY stored_ms LIMIT ?)");
             PreparedStatement keys = connection.prepareStatement("DELETE FROM idempotency WHERE key IN"
                + " (SELECT key FROM idempotency WHERE stored_ms < ? ORDER BY stored_ms LIMIT ?)")) {
            events.setLong(1, olderThanMillis);
            events.setInt(2, limit);
            keys.setLong(1, olderThanMillis);
            keys.setInt(2, limit);
            keys.executeUpdate();
            int deleted = events.executeUpdate();
            countOfBatch -= deleted;
            return deleted;
        } catch (SQLException e) {
            throw failure("cannot purge", e);
        }
    }

    @Override
    public void commit(long lastSeq) {
        try {
            for (Latest latest : latestOfBatch.values()) {
                upsertDevice.setString(1, latest.event().deviceId());
                upsertDevice.setLong(2, latest.event().seq());
                upsertDevice.setString(3, latest.event().status().wireName());
                upsertDevice.setString(4, latest.result());
                upsertDevice.setString(5, latest.event().json());
                upsertDevice.executeUpdate();
            }
            for (Map.Entry<String, Long> agent : agentsOfBatch.entrySet()) {
                upsertAgent.setString(1, agent.getKey());
                upsertAgent.setLong(2, agent.getValue());
                upsertAgent.executeUpdate();
            }
            latestOfBatch.clear();
            agentsOfBatch.clear();
            upsertSeq.setLong(1, lastSeq);
            upsertSeq.executeUpdate();
            if (countOfBatch != 0) {
                addCount.setLong(1, countOfBatch);
                addCount.executeUpdate();
                countOfBatch = 0;
            }
            connection.commit();
        } catch (SQLException e) {
            throw failure("store commit failed", e);
        }
    }

    /**
     * Also drops the connection: after some errors (SQLITE_FULL, I/O) SQLite rolls the transaction back by itself
     * and the driver, unaware, would run the next batch's statements in autocommit mode, each committed at once,
     * unacknowledged and then stored twice. The next {@link #begin()} opens a fresh connection.
     */
    @Override
    public void rollback() {
        latestOfBatch.clear();
        agentsOfBatch.clear();
        countOfBatch = 0;
        try {
            connection.rollback();
        } catch (SQLException e) {
            // nothing more to undo here; the connection is replaced below
        }
        close();
        broken = true;
    }

    private static StoreException failure(String what, SQLException e) {
        return new StoreException(what + " (" + e.getMessage() + ")", e);
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // all batches were committed or reported failed before close
        }
    }
}
