package io.benchlink.gateway.store.postgres;

import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.StoredEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch in one transaction, serialised against every other gateway's: it takes the store's transaction-scoped
 * advisory lock first, then reads {@code last_seq} and the agents' marks, so seq order is commit order and an agent's
 * mark is the one the previous writer (on any gateway) committed. Axon's JDBC event store shows the trap this avoids:
 * numbers from a sequence are taken in insert order but become visible in commit order, so a reader of
 * {@code seq > N} could pass an event that commits later with a smaller number.
 *
 * <p>The {@code NOTIFY} is sent inside the transaction, so PostgreSQL delivers it only once the batch committed.
 * Not thread-safe: one instance per batch, on the writer's thread.
 */
final class BatchTransaction {
    /** The advisory lock key all gateways of one database share ("benchlnk" in ASCII). */
    static final long SEQ_LOCK = 0x62656e63686c6e6bL;
    static final String CHANNEL = "benchlink_events";

    private final Connection connection;
    private final WallClock clock;
    private final List<StoredEvent> events = new ArrayList<>();
    private final List<StoredEvent> perAppend = new ArrayList<>();
    private final Map<String, Long> marks = new HashMap<>();
    private final Map<String, Long> changedMarks = new LinkedHashMap<>();
    private final Map<Long, String> results = new HashMap<>();
    private final Map<String, StoredEvent> keys = new HashMap<>();
    private final Map<String, Long> newKeys = new LinkedHashMap<>();
    private final List<Long> agentSeqs = new ArrayList<>();
    private final List<String> agentIds = new ArrayList<>();
    private long lastSeq;

    BatchTransaction(Connection connection, WallClock clock) {
        this.connection = connection;
        this.clock = clock;
    }

    BatchOutcome run(List<Append> appends) throws SQLException {
        connection.setAutoCommit(false);
        try {
            lock();
            lastSeq = readLastSeq(connection);
            readMarks(appends);
            readKeys(appends);
            for (Append append : appends) {
                perAppend.add(apply(append));
            }
            write();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        return new BatchOutcome(events, perAppend, marks);
    }

    private void lock() throws SQLException {
        // A statement of its own: READ COMMITTED takes each statement's snapshot when it starts, so the reads
        // below (separate statements) see everything the lock's previous holder committed.
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, SEQ_LOCK);
            st.execute();
        }
    }

    static long readLastSeq(Connection connection) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT value FROM meta WHERE key = 'last_seq'");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private void readMarks(List<Append> appends) throws SQLException {
        Set<String> agents = new LinkedHashSet<>();
        appends.stream().filter(a -> a.agentId() != null).forEach(a -> agents.add(a.agentId()));
        if (agents.isEmpty()) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement(
                "SELECT agent_id, last_seq FROM agents WHERE agent_id = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("text", agents.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    marks.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        agents.forEach(a -> marks.putIfAbsent(a, 0L));
    }

    private void readKeys(List<Append> appends) throws SQLException {
        Set<String> wanted = new LinkedHashSet<>();
        appends.stream().filter(a -> a.idempotencyKey() != null).forEach(a -> wanted.add(a.idempotencyKey()));
        if (wanted.isEmpty()) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("SELECT k.key, e.seq, e.device_id, e.status, e.json"
                + " FROM idempotency k JOIN events e ON e.seq = k.seq WHERE k.key = ANY(?)")) {
            st.setArray(1, connection.createArrayOf("text", wanted.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), PostgresStore.event(rs, 2));
                }
            }
        }
    }

    private StoredEvent apply(Append append) {
        if (append.agentId() != null) {
            long seen = marks.get(append.agentId());
            if (append.agentSeq() <= seen) {
                return null; // CONTRACT §3: a repeated (agent_id, seq) is acknowledged again but stored once
            }
            marks.put(append.agentId(), append.agentSeq());
            changedMarks.put(append.agentId(), append.agentSeq());
            return append(append.status(), append.agentId(), append.agentSeq());
        }
        if (append.idempotencyKey() != null) {
            StoredEvent earlier = keys.get(append.idempotencyKey());
            if (earlier != null) {
                return earlier;
            }
            StoredEvent event = append(append.status(), null, 0);
            keys.put(append.idempotencyKey(), event);
            newKeys.put(append.idempotencyKey(), event.seq());
            return event;
        }
        return append(append.status(), null, 0);
    }

    private StoredEvent append(DeviceStatus status, String agentId, long agentSeq) {
        long seq = ++lastSeq;
        DeviceStatus stored = status.stored(seq, clock.now());
        StoredEvent event = new StoredEvent(seq, stored.deviceId(), stored.status(), StatusJson.toJson(stored));
        events.add(event);
        results.put(seq, stored.result());
        agentIds.add(agentId);
        agentSeqs.add(agentId == null ? null : agentSeq);
        return event;
    }

    private void write() throws SQLException {
        if (!events.isEmpty()) {
            insertEvents();
            upsertDevices();
            updateLastSeq();
        }
        upsertMarks();
        insertKeys();
    }

    private void insertEvents() throws SQLException {
        int n = events.size();
        Long[] seqs = new Long[n];
        String[] devices = new String[n];
        String[] statuses = new String[n];
        String[] json = new String[n];
        Long[] stored = new Long[n];
        long now = clock.clock().millis();
        for (int i = 0; i < n; i++) {
            StoredEvent e = events.get(i);
            seqs[i] = e.seq();
            devices[i] = e.deviceId();
            statuses[i] = e.status().wireName();
            json[i] = e.json();
            stored[i] = now;
        }
        // One statement for the whole batch: unnest() turns parallel arrays into rows.
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO events(seq, device_id, status, json,"
                + " agent_id, agent_seq, stored_ms) SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::bigint[], ?::bigint[])")) {
            st.setArray(1, array("bigint", seqs));
            st.setArray(2, array("text", devices));
            st.setArray(3, array("text", statuses));
            st.setArray(4, array("text", json));
            st.setArray(5, array("text", agentIds.toArray(new String[0])));
            st.setArray(6, array("bigint", agentSeqs.toArray(new Long[0])));
            st.setArray(7, array("bigint", stored));
            st.executeUpdate();
        }
    }

    private void upsertDevices() throws SQLException {
        // Only each device's last status of the batch: earlier ones would be overwritten at once.
        Map<String, StoredEvent> latest = new LinkedHashMap<>();
        events.forEach(e -> latest.put(e.deviceId(), e));
        List<StoredEvent> rows = new ArrayList<>(latest.values());
        int n = rows.size();
        String[] devices = new String[n];
        Long[] seqs = new Long[n];
        String[] statuses = new String[n];
        String[] resultTexts = new String[n];
        String[] json = new String[n];
        for (int i = 0; i < n; i++) {
            StoredEvent e = rows.get(i);
            devices[i] = e.deviceId();
            seqs[i] = e.seq();
            statuses[i] = e.status().wireName();
            resultTexts[i] = results.get(e.seq());
            json[i] = e.json();
        }
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO devices(device_id, seq, status, result,"
                + " json) SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
                + " ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
                + " result = excluded.result, json = excluded.json")) {
            st.setArray(1, array("text", devices));
            st.setArray(2, array("bigint", seqs));
            st.setArray(3, array("text", statuses));
            st.setArray(4, array("text", resultTexts));
            st.setArray(5, array("text", json));
            st.executeUpdate();
        }
    }

    private void updateLastSeq() throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(
                "UPDATE meta SET value = ? WHERE key = 'last_seq'; SELECT pg_notify('" + CHANNEL + "', ?)")) {
            st.setLong(1, lastSeq);
            st.setString(2, Long.toString(lastSeq));
            st.execute();
        }
    }

    private void upsertMarks() throws SQLException {
        if (changedMarks.isEmpty()) {
            return;
        }
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO agents(agent_id, last_seq)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT (agent_id)"
                + " DO UPDATE SET last_seq = excluded.last_seq")) {
            st.setArray(1, array("text", changedMarks.keySet().toArray(new String[0])));
            st.setArray(2, array("bigint", changedMarks.values().toArray(new Long[0])));
            st.executeUpdate();
        }
    }

    private void insertKeys() throws SQLException {
        if (newKeys.isEmpty()) {
            return;
        }
        Long[] stored = new Long[newKeys.size()];
        java.util.Arrays.fill(stored, clock.clock().millis());
        try (PreparedStatement st = connection.prepareStatement("INSERT INTO idempotency(key, seq, stored_ms)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[]) ON CONFLICT (key) DO NOTHING")) {
            st.setArray(1, array("text", newKeys.keySet().toArray(new String[0])));
            st.setArray(2, array("bigint", newKeys.values().toArray(new Long[0])));
            st.setArray(3, array("bigint", stored));
            st.executeUpdate();
        }
    }

    private Array array(String type, Object[] values) throws SQLException {
        return connection.createArrayOf(type, values);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // the connection is broken; the pool drops it and the failure is reported by the caller
        }
    }
}
