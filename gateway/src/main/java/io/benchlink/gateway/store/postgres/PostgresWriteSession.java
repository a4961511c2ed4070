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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The writer's transaction per batch on PostgreSQL, serialised against every other gateway's: {@link #begin()}
 * takes the store's transaction-scoped advisory lock and only then reads {@code last_seq}, so seq order is commit
 * order. Axon's JDBC event store shows the trap this avoids: numbers from a sequence are taken in insert order but
 * become visible in commit order, so a reader of {@code seq > N} could pass an event that commits later with a
 * smaller number. The batch's rows are buffered and written at {@link #commit} ({@code unnest} of arrays), and the
 * {@code NOTIFY} is sent inside the transaction, so PostgreSQL delivers it only once the batch committed.
 *
 * <p>Round trips, because every gateway's writer waits while one holds the lock (docs/PERFORMANCE.md "Cluster on
 * PostgreSQL"): {@link #begin()} sends the lock, the {@code last_seq} read and the marks of the agents the last
 * batch wrote for in one message (each statement still takes its own snapshot, so the reads see what the lock's
 * previous holder committed), and {@link #commit} sends every write, the {@code NOTIFY} and {@code COMMIT} in one
 * message: two round trips per batch, however many tables it touches.
 *
 * <p>Issue 18: {@code /healthz} reports the number of events, and {@code COUNT(*)} reads the whole table for it
 * (seconds at 10 M events). So the count is kept in {@code meta} ({@code event_count}, set once from the rows by
 * the migration V4) and moved by {@link #commit} in the same locked transaction: the rows the batch inserted minus
 * those its purges deleted. One row for every gateway is right: the advisory lock serialises the writers.
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
    private static final int RECENT_AGENTS = 2_048;
    private static final String LOCK_AND_READ = "SELECT pg_advisory_xact_lock(?);"
            + " SELECT value FROM meta WHERE key = 'last_seq';"
            + " SELECT agent_id, last_seq FROM agents WHERE agent_id = ANY(?)";
    // Devices: only each device's last status of the batch (an upsert may not touch a row twice in one statement).
    // Agents: GREATEST, a writer that missed another gateway's commits must never lower the shared mark. Meta:
    // GREATEST, the writer's lastSeq is at least what begin() read, but a stale one must never lower it. Every
    // data-modifying WITH runs exactly once, whether the final SELECT reads it or not.
    // The JSON goes as one text joined by U+001F, not as a text[]: the driver's array encoding escapes every
    // character and was a third of the writer's time under the lock (docs/PERFORMANCE.md "Cluster on PostgreSQL").
    private static final char JSON_SEPARATOR = '\u001f';
    private static final String PURGE_EVENTS = "DELETE FROM events WHERE seq IN"
            + " (SELECT seq FROM events WHERE stored_ms < ? ORDER BY stored_ms LIMIT ?)";
    private static final String PURGE_KEYS = "DELETE FROM idempotency WHERE key IN"
            + " (SELECT key FROM idempotency WHERE stored_ms < ? ORDER BY stored_ms LIMIT ?)";
    private static final String WRITE_AND_COMMIT = "WITH"
            + " e AS (INSERT INTO events(seq, device_id, status, json, agent_id, agent_seq, stored_ms)"
            + "   SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], string_to_array(?, chr(31)), ?::text[],"
            + "   ?::bigint[], ?::bigint[])),"
            + " d AS (INSERT INTO devices(device_id, seq, status, result, json)"
            + "   SELECT * FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], string_to_array(?, chr(31)))"
            + "   ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, status = excluded.status,"
            + "   result = excluded.result, json = excluded.json),"
            + " a AS (INSERT INTO agents(agent_id, last_seq) SELECT * FROM unnest(?::text[], ?::bigint[])"
            + "   ON CONFLICT (agent_id) DO UPDATE SET last_seq = GREATEST(agents.last_seq, excluded.last_seq)),"
            + " k AS (INSERT INTO idempotency(key, seq, stored_ms)"
            + "   SELECT * FROM unnest(?::text[], ?::bigint[], ?::bigint[])"
            + "   ON CONFLICT (key) DO UPDATE SET seq = excluded.seq, stored_ms = excluded.stored_ms),"
            + " m AS (UPDATE meta SET value = GREATEST(value, ?) WHERE key = 'last_seq'),"
            + " n AS (UPDATE meta SET value = value + ? WHERE key = 'event_count' AND ? <> 0)"
            + " SELECT pg_notify('" + CHANNEL + "', ?) WHERE ?;"
            + " COMMIT";

    private final DataSource pool;
    private final List<Row> rows = new ArrayList<>();
    private final Map<Long, StoredEvent> bySeq = new HashMap<>();
    private final Map<String, Long> marks = new HashMap<>();
    private final Map<String, Long> changedMarks = new LinkedHashMap<>();
    private final Map<String, Long> keys = new LinkedHashMap<>();
    private final Map<String, Long> keyTimes = new HashMap<>();
    // Agents the last committed batch wrote for: their marks are read with the lock instead of one by one.
    private final Set<String> recentAgents = new LinkedHashSet<>();
    private Connection connection;
    private long purged; // events this batch's purges deleted: meta event_count moves by rows minus these

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
        // Three statements in one message: READ COMMITTED takes each statement's snapshot when it starts, and the
        // server starts the reads only once the lock is held, so they see everything its previous holder committed.
        try (PreparedStatement st = connection.prepareStatement(LOCK_AND_READ)) {
            st.setLong(1, SEQ_LOCK);
            st.setArray(2, array(connection, "text", recentAgents.toArray()));
            st.execute();
            st.getMoreResults();
            long lastSeq;
            try (ResultSet rs = st.getResultSet()) {
                lastSeq = rs.next() ? rs.getLong(1) : 0;
            }
            st.getMoreResults();
            recentAgents.forEach(agent -> marks.put(agent, 0L));
            try (ResultSet rs = st.getResultSet()) {
                while (rs.next()) {
                    marks.put(rs.getString(1), rs.getLong(2));
                }
            }
            return lastSeq;
        }
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

    /**
     * Issue 18: one chunk of the sweep, found through {@code events_by_time} and {@code idempotency_by_time} (V5),
     * deleted by primary key, so the seq lock every gateway's writer waits for is held for one chunk only.
     */
    @Override
    public int purge(long olderThanMillis, int limit) {
        try (PreparedStatement events = open().prepareStatement(PURGE_EVENTS);
             PreparedStatement old = open().prepareStatement(PURGE_KEYS)) {
            old.setLong(1, olderThanMillis);
            old.setInt(2, limit);
            old.executeUpdate();
            events.setLong(1, olderThanMillis);
            events.setInt(2, limit);
            int deleted = events.executeUpdate();
            purged += deleted;
            return deleted;
        } catch (SQLException e) {
            throw PostgresEventStore.failure("cannot drop old events", e);
        }
    }

    @Override
    public void commit(long lastSeq) {
        try {
            Connection c = open();
            try (PreparedStatement st = c.prepareStatement(WRITE_AND_COMMIT)) {
                int next = bindEvents(c, st, 1);
                next = bindDevices(c, st, next);
                st.setArray(next++, array(c, "text", changedMarks.keySet().toArray()));
                st.setArray(next++, array(c, "bigint", changedMarks.values().toArray()));
                st.setArray(next++, array(c, "text", keys.keySet().toArray()));
                st.setArray(next++, array(c, "bigint", keys.values().toArray()));
                st.setArray(next++, array(c, "bigint", keys.keySet().stream().map(keyTimes::get).toArray()));
                st.setLong(next++, lastSeq);
                st.setLong(next++, rows.size() - purged);
                st.setLong(next++, rows.size() - purged);
                st.setString(next++, Long.toString(lastSeq));
                st.setBoolean(next, !rows.isEmpty());
                st.execute();
            }
            c.commit(); // the COMMIT above ended the transaction: this only tells the pool it is clean
            remember();
        } catch (SQLException e) {
            throw PostgresEventStore.failure("store commit failed", e);
        } finally {
            release();
        }
    }

    private void remember() {
        recentAgents.clear();
        for (Row row : rows) {
            if (row.agentId() != null && recentAgents.size() < RECENT_AGENTS) {
                recentAgents.add(row.agentId());
            }
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

    private int bindEvents(Connection c, PreparedStatement st, int first) throws SQLException {
        int n = rows.size();
        Object[] seqs = new Object[n];
        Object[] devices = new Object[n];
        Object[] statuses = new Object[n];
        StringBuilder json = new StringBuilder(n * 400);
        Object[] agents = new Object[n];
        Object[] agentSeqs = new Object[n];
        Object[] stored = new Object[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            seqs[i] = row.event().seq();
            devices[i] = row.event().deviceId();
            statuses[i] = row.event().status().wireName();
            join(json, i, row.event().json());
            agents[i] = row.agentId();
            agentSeqs[i] = row.agentSeq();
            stored[i] = row.storedMillis();
        }
        st.setArray(first, array(c, "bigint", seqs));
        st.setArray(first + 1, array(c, "text", devices));
        st.setArray(first + 2, array(c, "text", statuses));
        st.setString(first + 3, json.toString());
        st.setArray(first + 4, array(c, "text", agents));
        st.setArray(first + 5, array(c, "bigint", agentSeqs));
        st.setArray(first + 6, array(c, "bigint", stored));
        return first + 7;
    }

    private int bindDevices(Connection c, PreparedStatement st, int first) throws SQLException {
        Map<String, Row> latest = new LinkedHashMap<>();
        rows.forEach(r -> latest.put(r.event().deviceId(), r));
        List<Row> last = new ArrayList<>(latest.values());
        int n = last.size();
        Object[] devices = new Object[n];
        Object[] seqs = new Object[n];
        Object[] statuses = new Object[n];
        Object[] results = new Object[n];
        StringBuilder json = new StringBuilder(n * 400);
        for (int i = 0; i < n; i++) {
            Row row = last.get(i);
            devices[i] = row.event().deviceId();
            seqs[i] = row.event().seq();
            statuses[i] = row.event().status().wireName();
            results[i] = row.result();
            join(json, i, row.event().json());
        }
        st.setArray(first, array(c, "text", devices));
        st.setArray(first + 1, array(c, "bigint", seqs));
        st.setArray(first + 2, array(c, "text", statuses));
        st.setArray(first + 3, array(c, "text", results));
        st.setString(first + 4, json.toString());
        return first + 5;
    }

    /**
     * U+001F never occurs in JSON text: inside strings every control character is escaped, and between tokens only
     * space, tab, CR and LF may appear. So splitting on it gives back each event's JSON exactly.
     */
    private static void join(StringBuilder joined, int index, String json) {
        if (json.indexOf(JSON_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("event JSON holds a raw U+001F, which JSON text cannot");
        }
        if (index > 0) {
            joined.append(JSON_SEPARATOR);
        }
        joined.append(json);
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
        purged = 0;
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
