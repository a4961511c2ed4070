package io.benchlink.gateway.store;

import io.benchlink.common.status.StatusKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The writer's connection and its prepared statements: one transaction per batch. Also mirrors each device's
 * last status kind and result, which the writer needs to decide link online/offline without a query.
 *
 * <p>Owned by: {@code gateway-store-writer} (not thread-safe).
 */
final class WriteBatch implements AutoCloseable {
    private final Connection connection;
    private final PreparedStatement insertEvent;
    private final PreparedStatement upsertDevice;
    private final PreparedStatement upsertAgent;
    private final PreparedStatement upsertSeq;
    private final PreparedStatement findKey;
    private final PreparedStatement insertKey;
    private final Map<String, String> deviceResults = new HashMap<>();
    private final Map<String, StatusKind> deviceKinds = new HashMap<>();
    private final Map<String, Latest> latestOfBatch = new HashMap<>();
    private final Map<String, Long> agentsOfBatch = new HashMap<>();

    private record Latest(StoredEvent event, String result) {
    }

    WriteBatch(Connection connection) throws SQLException {
        this.connection = connection;
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
        findKey = connection.prepareStatement("SELECT e.seq, e.device_id, e.status, e.json FROM idempotency k"
                + " JOIN events e ON e.seq = k.seq WHERE k.key = ?");
        insertKey = connection.prepareStatement("INSERT OR REPLACE INTO idempotency(key, seq, stored_ms) VALUES (?, ?, ?)");
        connection.commit();
        loadDevices();
    }

    void saveEvent(StoredEvent event, String result, String agentId, long agentSeq, long nowMillis)
            throws SQLException {
        insertEvent.setLong(1, event.seq());
        insertEvent.setString(2, event.deviceId());
        insertEvent.setString(3, event.status().wireName());
        insertEvent.setString(4, event.json());
        insertEvent.setString(5, agentId);
        if (agentId == null) {
            insertEvent.setNull(6, java.sql.Types.INTEGER);
        } else {
            insertEvent.setLong(6, agentSeq);
        }
        insertEvent.setLong(7, nowMillis);
        insertEvent.executeUpdate();
        // Only a device's last status of the batch needs writing; earlier ones would be overwritten at once.
        latestOfBatch.put(event.deviceId(), new Latest(event, result));
        deviceKinds.put(event.deviceId(), event.status());
        if (result == null) {
            deviceResults.remove(event.deviceId());
        } else {
            deviceResults.put(event.deviceId(), result);
        }
    }

    void saveAgent(String agentId, long lastSeq) {
        agentsOfBatch.put(agentId, lastSeq);
    }

    StoredEvent findIdempotent(String key) throws SQLException {
        findKey.setString(1, key);
        try (ResultSet rs = findKey.executeQuery()) {
            return rs.next()
                    ? new StoredEvent(rs.getLong(1), rs.getString(2), StatusKind.fromWire(rs.getString(3)), rs.getString(4))
                    : null;
        }
    }

    void saveIdempotent(String key, long seq, long nowMillis) throws SQLException {
        insertKey.setString(1, key);
        insertKey.setLong(2, seq);
        insertKey.setLong(3, nowMillis);
        insertKey.executeUpdate();
    }

    /** True when the device's last status is the offline a lost agent link caused. */
    boolean lostByLink(String deviceId) {
        return deviceKinds.get(deviceId) == StatusKind.OFFLINE
                && StoreWriter.LINK_LOST.equals(deviceResults.get(deviceId));
    }

    int purge(long olderThanMillis) throws SQLException {
        try (PreparedStatement events = connection.prepareStatement("DELETE FROM events WHERE stored_ms < ?");
             PreparedStatement keys = connection.prepareStatement("DELETE FROM idempotency WHERE stored_ms < ?")) {
            events.setLong(1, olderThanMillis);
            keys.setLong(1, olderThanMillis);
            keys.executeUpdate();
            return events.executeUpdate();
        }
    }

    void commit(long lastSeq) throws SQLException {
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
        connection.commit();
    }

    void rollback() {
        latestOfBatch.clear();
        agentsOfBatch.clear();
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the next begin will fail and be reported
        }
    }

    /** After a rollback the mirror may hold uncommitted states: reload it from what is committed. */
    void forgetDevices() {
        try {
            loadDevices();
        } catch (SQLException e) {
            deviceKinds.clear();
            deviceResults.clear();
        }
    }

    private void loadDevices() throws SQLException {
        deviceKinds.clear();
        deviceResults.clear();
        try (PreparedStatement st = connection.prepareStatement("SELECT device_id, status, result FROM devices");
             ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                deviceKinds.put(rs.getString(1), StatusKind.fromWire(rs.getString(2)));
                if (rs.getString(3) != null) {
                    deviceResults.put(rs.getString(1), rs.getString(3));
                }
            }
        }
        connection.commit();
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
