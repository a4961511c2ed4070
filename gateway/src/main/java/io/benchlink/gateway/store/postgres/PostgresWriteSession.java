package io.benchlink.gateway.store.postgres;

import io.benchlink.common.status.StatusKind;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The writer's transaction per batch on PostgreSQL, serialised against every other gateway's: {@link #begin()}
 * takes the store's transaction-scoped advisory lock and only then reads {@code last_seq}, so seq order is commit
 * order. Axon's JDBC event store shows the trap this avoids: numbers from a sequence are taken in insert order but
 * become visible in commit order, so a reader of {@code seq > N} could pass an event that commits later with a
 * smaller number. The batch's rows are buffered and written at {@link #commit} in one statement per table
 * ({@code unnest} of arrays), and the {@code NOTIFY} is sent inside the transaction, so PostgreSQL delivers it only
 * once the batch committed.
 *
 * <p>Shared dedup: an agent may have moved here from another gateway, whose writer stored statuses this gateway's
 * writer has not seen. So an agent status at or below the agent's mark as committed in the database (read under
 * the lock) is not stored again, whatever the writer believed; the agent is acknowledged, as for any repeat.
 *
 * <p>A connection is borrowed from the pool per batch, so a batch after a database restart gets a fresh one.
 * Owned by: {@code gateway-store-writer} (not thread-safe).
 */
final class PostgresWriteSession implements WriteSession {
    /** The advisory lock key all gateways of one database share ("benchlnk" in ASCII). */
    static final long SEQ_LOCK = 0x62656e63686c6e6bL;
    static final String CHANNEL = "benchlink_events";

    private final DataSource pool;
    private final List<Row> rows = new ArrayList<>();
    private final Map<Long, StoredEvent> bySeq = new HashMap<>();
    private final Map<String, Long> marks = new HashMap<>();
    private final Map<String, Long> changedMarks = new LinkedHashMap<>();
    private final Map<String, Long> keys = new LinkedHashMap<>();
    private final Map<String, Long> keyTimes = new HashMap<>();
    private Connection connection;

    private record Row(StoredEvent event, String result, String agentId, Long agentSeq, long storedMillis) {
    }

    PostgresWriteSession(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Committed load() {
        try (Connection c = pool.getConnection()) {
            Map<String, Long> agents = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT agent_id, last_seq FROM agents");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    agents.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, DeviceState> devices = new HashMap<>();
            try (PreparedStatement st = c.prepareStatement("SELECT device_id, status, result FROM devices");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    devices.put(rs.getString(1), new DeviceState(StatusKind.fromWire(rs.getString(2)), rs.getString(3)));
                }
            }
            return new Committed(readLastSeq(c), agents, devices);
        } catch (SQLException e) {
            throw PostgresEventStore.failure("cannot read store", e);
        }
    }

    @Override
    public long begin() {
        clear();
        try {
            return lockAndRead();
        } catch (SQLException first) {
            // A pooled connection the database closed while it restarted fails only when used: the pool evicts
            // it, and one retry on a fresh connection tells a dead database from a stale connection.
            release();
            try {
                return lockAndRead();
            } catch (SQLException e) {
                release();
                throw PostgresEventStore.failure("cannot begin a store transaction", e);
            }
        }
    }

    private long lockAndRead() throws SQLException {
        connection = pool.getConnection();
        connection.setAutoCommit(false);
        // A statement of its own: READ COMMITTED takes each statement's snapshot when it starts, so the reads
        // after it see everything the lock's previous holder committed.
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            st.setLong(1, SEQ_LOCK);
            st.execute();
        }
        return readLastSeq(connection);
    }

    static long readLastSeq(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("SELECT value FROM meta WHERE key = 'last_seq'");
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    @Override
    public long agentMark(String agentId) {
        Long mark = marks.get(agentId);
        if (mark != null) {
            return mark;
        }
        try (PreparedStatement st = open().prepareStatement("SELECT last_seq FROM agents WHERE agent_id = ?")) {
            st.setString(1, agentId);
            try (ResultSet rs = st.executeQuery()) {
                long committed = rs.next() ? rs.getLong(1) : 0;
                marks.put(agentId, committed);
                return committed;
            }
        } catch (SQLException e) {
            throw PostgresEventStore.failure("cannot read the agent's mark", e);
        }
    }

    @Override
    public Optional<StoredEvent> findIdempotent(String key) {
        Long buffered = keys.get(key);
        if (buffered != null) {
            return Optional.of(bySeq.get(buffered));
        }
        try (PreparedStatement st = open().prepareStatement("SELECT e.seq, e.device_id, e.status, e.json"
                + " FROM idempotency k JOIN events e ON e.seq = k.seq WHERE k.key = ?")) {
            st.setString(1, key);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(PostgresEventStore.event(rs, 1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw PostgresEventStore.failure("cannot read store", e);
        }
    }

    @Override
    public void append(StoredEvent event, String result, String agentId, long agentSeq, long storedMillis) {
        if (agentId != null) {
            if (agentSeq <= agentMark(agentId)) {
                return; // stored by another gateway's writer before the agent moved here: stored once
            }
            marks.put(agentId, agentSeq);
        }
        rows.add(new Row(event, result, agentId, agentId == null ? null : agentSeq, storedMillis));
        bySeq.put(event.seq(), event);
    }

    @Override
    public void saveIdempotent(String key, long seq, long storedMillis) {
        keys.put(key, seq);
        keyTimes.put(key, storedMillis);
    }

    @Override
    public void saveAgentMark(String agentId, long agentSeq) {
        changedMarks.merge(agentId, agentSeq, Math::max);
    }

    @Override
    public int purge(long olderThanMillis) {
        try (PreparedStatement events = open().prepareStatement("DELETE FROM events WHERE stored_ms < ?");
             PreparedStatement old = open().prepareStatement("DELETE FROM idempotency WHERE stored_ms < ?")) {
            old.setLong(1, olderThanMillis);
            old.executeUpdate();
            events.setLong(1, olderThanMillis);
            return events.executeUpdate();
        } catch (SQLException e) {
            throw PostgresEventStore.failure("cannot drop old events", e);
        }
    }

    @Override
    public void commit(long lastSeq) {
        try {
            Connection c = open();
            if (!rows.isEmpty()) {
                insertEvents(c);
                upsertDevices(c);
            }
            upsertMarks(c);
            insertKeys(c);
            updateLastSeq(c, lastSeq, !rows.isEmpty());
            c.commit();
        } catch (SQLException e) {
            throw PostgresEventStore.failure("store commit failed", e);
        } finally {
            release();
        }
    }

    @Override
    public void rollback() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                // the connection is broken; the pool drops it and the next begin() gets another
            }
        }
        release();
    }

    /** The open transaction's connection (for {@link PostgresEventStore#publishLocked}). */
    Connection connection() {
        return open();
    }

    private Connection open() {
        if (connection == null) {
            throw new StoreException("no store transaction open (begin() first)", null);
        }
        return connection;
    }

    private void insertEvents(Connection c) throws SQLException {
        int n = rows.size();
        Object[] seqs = new Object[n];
        Object[] devices = new Object[n];
        Object[] statuses = new Object[n];
        Object[] json = new Object[n];
        Object[] agents = new Object[n];
        Object[] agentSeqs = new Object[n];
        Object[] stored = new Object[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            seqs[i] = row.event().seq();
            devices[i] = row.event().deviceId();
            statuses[i] = row.event().status().wireName();
            json[i] = row.event().json();
            agents[i] = row.agentId();
            agentSeqs[i] = row.agentSeq();
            stored[i] = row.storedMillis();
        }
        // One statement for the whole batch: unnest() turns parallel arrays into rows.
        try (PreparedStatement st = c.prepareStatement("INSERT INTO events(seq, device_id, status, json, agent_id,"
                + " agent_seq, stored_ms) SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::bigint[], ?::bigint[])")) {
            st.setArray(1, array(c, "bigint", seqs));
            st.setArray(2, array(c, "text", devices));
            st.setArray(3, array(c, "text", statuses));
            st.setArray(4, array(c, "text", json));
            st.setArray(5, array(c, "text", agents));
            st.setArray(6, array(c, "bigint", agentSeqs));
            st.setArray(7, array(c, "bigint", stored));
            st.executeUpdate();
        }
    }

    private void upsertDevices(Connection c) throws SQLException {
        // Only each device's last status of the batch: earlier ones would be overwritten at once.
        Map<String, Row> latest = new LinkedHashMap<>();
        rows.forEach(r -> latest.put(r.event().deviceId(), r));
        List<Row> last = new ArrayList<>(latest.values());
        int n = last.size();
        Object[] devices = new Object[n];
        Object[] seqs = new Object[n];
        Object[] statuses = new Object[n];
        Object[] results = new Object[n];
        Object[] json = new Object[n];
        for (int i = 0; i < n; i++) {
            Row row = last.get(i);
            devices[i] = row.event().deviceId();
            seqs[i] = row.event().seq();
            statuses[i] = row.event().status().wireName();
            results[i] = row.result();
            json[i] = row.event().json();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO devices(device_id, seq, status, result, json)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[])"
                + " ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
                + " result = excluded.result, json = excluded.json")) {
            st.setArray(1, array(c, "text", devices));
            st.setArray(2, array(c, "bigint", seqs));
            st.setArray(3, array(c, "text", statuses));
            st.setArray(4, array(c, "text", results));
            st.setArray(5, array(c, "text", json));
            st.executeUpdate();
        }
    }

    private void upsertMarks(Connection c) throws SQLException {
        if (changedMarks.isEmpty()) {
            return;
        }
        // GREATEST: a writer that missed another gateway's commits must never lower the shared mark.
        try (PreparedStatement st = c.prepareStatement("INSERT INTO agents(agent_id, last_seq)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[]) ON CONFLICT (agent_id)"
                + " DO UPDATE SET last_seq = GREATEST(agents.last_seq, excluded.last_seq)")) {
            st.setArray(1, array(c, "text", changedMarks.keySet().toArray()));
            st.setArray(2, array(c, "bigint", changedMarks.values().toArray()));
            st.executeUpdate();
        }
    }

    private void insertKeys(Connection c) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Object[] times = keys.keySet().stream().map(keyTimes::get).toArray();
        try (PreparedStatement st = c.prepareStatement("INSERT INTO idempotency(key, seq, stored_ms)"
                + " SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[])"
                + " ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, stored_ms = excluded.stored_ms")) {
            st.setArray(1, array(c, "text", keys.keySet().toArray()));
            st.setArray(2, array(c, "bigint", keys.values().toArray()));
            st.setArray(3, array(c, "bigint", times));
            st.executeUpdate();
        }
    }

    private static void updateLastSeq(Connection c, long lastSeq, boolean notify) throws SQLException {
        // GREATEST: the writer's lastSeq is at least what begin() read, but never let a stale one lower it.
        try (PreparedStatement st = c.prepareStatement(
                "UPDATE meta SET value = GREATEST(value, ?) WHERE key = 'last_seq'")) {
            st.setLong(1, lastSeq);
            st.executeUpdate();
        }
        if (notify) {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
                st.setString(1, Long.toString(lastSeq));
                st.execute();
            }
        }
    }

    private static Array array(Connection c, String type, Object[] values) throws SQLException {
        return c.createArrayOf(type, values);
    }

    private void clear() {
        rows.clear();
        bySeq.clear();
        marks.clear();
        changedMarks.clear();
        keys.clear();
        keyTimes.clear();
    }

    private void release() {
        clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // returning a connection to the pool loses nothing
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        rollback();
    }
}
