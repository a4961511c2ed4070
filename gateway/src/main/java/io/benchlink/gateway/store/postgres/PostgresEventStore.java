package io.benchlink.gateway.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.benchlink.common.json.StatusJson;
import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.store.EventStore;
import io.benchlink.gateway.store.ResultCount;
import io.benchlink.gateway.store.Snapshot;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.WriteSession;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The event log in PostgreSQL, shared by every gateway given the same {@code --store}: the schema is migrated by
 * Flyway at open (versioned scripts in {@code db/migration/postgresql}), connections come from a small HikariCP
 * pool, and each writer's batch commits in one {@link PostgresWriteSession} transaction serialised by an advisory
 * lock. Reads (replay, snapshot, HTTP) take pooled connections, so they never wait for a writer.
 *
 * <p>Thread-safe: every method borrows its own connection from the pool.
 */
public final class PostgresEventStore implements EventStore {
    private static final int POOL_SIZE = 6;
    // Pages read only their own rows (an index range each), whatever the number of devices (issue 18)
    static final String DEVICES_AFTER = "SELECT seq, device_id, status, json FROM devices"
            + " WHERE device_id > ? ORDER BY device_id LIMIT ?";
    static final String DEVICES_BY_SEQ = "SELECT seq, device_id, status, json FROM devices"
            + " WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?";

    private final PostgresLocation location;
    private final HikariDataSource pool;

    private PostgresEventStore(PostgresLocation location, HikariDataSource pool) {
        this.location = location;
        this.pool = pool;
    }

    /**
     * Connects and migrates the schema. The seq floor of PROTOCOL.md §2 is the writer's (it raises seq to the clock at
     * every start and commits it through {@link WriteSession#commit}), as for the embedded store.
     */
    public static PostgresEventStore open(PostgresLocation location) {
        HikariDataSource pool = new HikariDataSource(poolConfig(location));
        try {
            migrate(pool);
            return new PostgresEventStore(location, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariConfig poolConfig(PostgresLocation location) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("gateway-store");
        config.setJdbcUrl(location.url());
        if (location.password() != null) {
            config.setPassword(location.password());
        }
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        // Fail a batch within seconds while the database is down: statuses are then refused (agents keep spooling)
        // instead of piling up behind a writer that waits.
        config.setConnectionTimeout(3_000);
        config.setValidationTimeout(1_000);
        // Start even while the database is away? No: a gateway that cannot reach its store at start exits
        // with a reason, as it does for an unreadable SQLite file.
        config.setInitializationFailTimeout(10_000);
        config.addDataSourceProperty("ApplicationName", "benchlink-gateway");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        return config;
    }

    private static void migrate(HikariDataSource pool) {
        try {
            Flyway.configure(PostgresEventStore.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration/postgresql")
                    .connectRetries(0)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the PostgreSQL schema (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public String location() {
        return location.redacted();
    }

    @Override
    public WriteSession openWriter() {
        return new PostgresWriteSession(pool);
    }

    /** Events with {@code seq > since}, in seq order, optionally for one device. */
    @Override
    public List<StoredEvent> eventsAfter(long since, String deviceId, int limit) {
        String sql = deviceId == null
                ? "SELECT seq, device_id, status, json FROM events WHERE seq > ? ORDER BY seq LIMIT ?"
                : "SELECT seq, device_id, status, json FROM events WHERE device_id = ? AND seq > ? ORDER BY seq LIMIT ?";
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            int i = 1;
            if (deviceId != null) {
                st.setString(i++, deviceId);
            }
            st.setLong(i++, since);
            st.setInt(i, limit);
            return events(st);
        } catch (SQLException e) {
            throw failure("cannot read events", e);
        }
    }

    /** The last status of every device (or one), with the committed high-water seq of the same snapshot. */
    @Override
    public Snapshot snapshot(String deviceId) {
        String sql = deviceId == null
                ? "SELECT seq, device_id, status, json FROM devices ORDER BY device_id"
                : "SELECT seq, device_id, status, json FROM devices WHERE device_id = ?";
        return devicePage(sql, "cannot read snapshot", st -> {
            if (deviceId != null) {
                st.setString(1, deviceId);
            }
        });
    }

    /** Keyset page on the devices' primary key; one repeatable-read view gives the page and its high-water seq. */
    @Override
    public Snapshot devicesAfter(String afterDeviceId, int limit) {
        return devicePage(DEVICES_AFTER, "cannot read devices", st -> {
            st.setString(1, afterDeviceId == null ? "" : afterDeviceId);
            st.setInt(2, limit);
        });
    }

    /** Keyset page on {@code devices_by_seq}; one repeatable-read view gives the page and its high-water seq. */
    @Override
    public Snapshot devicesBySeq(long afterSeq, long maxSeq, int limit) {
        return devicePage(DEVICES_BY_SEQ, "cannot read devices", st -> {
            st.setLong(1, afterSeq);
            st.setLong(2, maxSeq);
            st.setInt(3, limit);
        });
    }

    /** Every device's last status without its JSON: start-up reads 50,000 of them before the listeners open. */
    @Override
    public List<StoredEvent> lastStatusKinds() {
        try (Connection c = pool.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT seq, device_id, status FROM devices ORDER BY device_id");
             ResultSet rs = st.executeQuery()) {
            List<StoredEvent> devices = new ArrayList<>();
            while (rs.next()) {
                devices.add(new StoredEvent(rs.getLong(1), rs.getString(2), StatusKind.fromWire(rs.getString(3)), ""));
            }
            return devices;
        } catch (SQLException e) {
            throw failure("cannot read devices", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement st) throws SQLException;
    }

    /** Devices read with the committed high-water seq in one repeatable-read view (a consistent pair). */
    private Snapshot devicePage(String sql, String what, Binder binder) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try (PreparedStatement st = c.prepareStatement(sql)) {
                binder.bind(st);
                List<StoredEvent> devices = events(st);
                return new Snapshot(devices, PostgresWriteSession.readLastSeq(c));
            } finally {
                c.commit();
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    /** Test results stored at or after {@code fromMillis} with {@code seq <= maxSeq}, per device, kind and minute. */
    @Override
    public List<ResultCount> resultCounts(long fromMillis, long maxSeq) {
        String sql = "SELECT device_id, status, stored_ms / 60000 AS minute, COUNT(*) FROM events"
                + " WHERE stored_ms >= ? AND seq <= ? AND status IN ('success', 'fail', 'error')"
                + " GROUP BY device_id, status, minute";
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
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
            throw failure("cannot count results", e);
        }
    }

    /** The oldest retained event's seq, or 0 when the log is empty. */
    @Override
    public long oldestSeq() {
        return scalar("SELECT COALESCE(MIN(seq), 0) FROM events");
    }

    /** The highest seq ever issued (also after retention emptied the log). */
    @Override
    public long latestSeq() {
        return scalar("SELECT value FROM meta WHERE key = 'last_seq'");
    }

    /** The count the writers keep in {@code meta} (see {@link PostgresWriteSession}); never a {@code COUNT(*)}. */
    @Override
    public long eventCount() {
        return scalar("SELECT value FROM meta WHERE key = 'event_count'");
    }

    /** The database's size on disk (shared by all its gateways), or -1 when it cannot be read. */
    @Override
    public long sizeBytes() {
        try {
            return scalar("SELECT pg_database_size(current_database())");
        } catch (StoreException e) {
            return -1;
        }
    }

    /** The highest agent seq stored for {@code agentId} by any gateway, 0 if none (what a welcome reports). */
    @Override
    public long agentMark(String agentId) {
        try (Connection c = pool.getConnection();
             PreparedStatement st = c.prepareStatement("SELECT last_seq FROM agents WHERE agent_id = ?")) {
            st.setString(1, agentId);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw failure("cannot read the agent's mark", e);
        }
    }

    /** Work done inside a writing transaction that holds the seq lock (see {@link #publishLocked}). */
    @FunctionalInterface
    public interface LockedDecision {
        /** Reads and changes what it needs on {@code connection}; returns the statuses to publish, maybe none. */
        List<DeviceStatus> decide(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code decision} in one writing transaction with the seq lock held and stores the statuses it returns
     * after the last committed seq, all in that transaction: the way a gateway publishes what it decided from shared
     * tables (the cluster's offline sweep) exactly once, whichever gateway runs it. Returns the events stored.
     */
    public List<StoredEvent> publishLocked(WallClock clock, LockedDecision decision) {
        PostgresWriteSession session = new PostgresWriteSession(pool);
        try {
            long seq = session.begin();
            List<DeviceStatus> statuses = decision.decide(session.connection());
            List<StoredEvent> events = new ArrayList<>();
            for (DeviceStatus status : statuses) {
                DeviceStatus stored = status.stored(++seq, clock.now());
                StoredEvent event = new StoredEvent(seq, stored.deviceId(), stored.status(), StatusJson.toJson(stored));
                session.append(event, stored.result(), null, 0, clock.clock().millis());
                events.add(event);
            }
            session.commit(seq);
            return events;
        } catch (SQLException e) {
            session.rollback();
            throw failure("cannot publish", e);
        } catch (RuntimeException e) {
            session.rollback();
            throw e;
        }
    }

    /** Whether the database answers now (for {@code /healthz}). */
    public boolean reachable() {
        try (Connection c = pool.getConnection()) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A connection outside the pool, for a thread that holds one for long (LISTEN). */
    Connection dedicatedConnection() throws SQLException {
        Properties properties = new Properties();
        if (location.password() != null) {
            properties.setProperty("password", location.password());
        }
        properties.setProperty("ApplicationName", "benchlink-gateway-listen");
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("connectTimeout", "3");
        return DriverManager.getConnection(location.url(), properties);
    }

    /** A pooled connection, for the cluster's lease and link tables. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    private long scalar(String sql) {
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(sql);
             ResultSet rs = st.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw failure("cannot read store", e);
        }
    }

    static StoredEvent event(ResultSet rs, int first) throws SQLException {
        return new StoredEvent(rs.getLong(first), rs.getString(first + 1), StatusKind.fromWire(rs.getString(first + 2)),
                rs.getString(first + 3));
    }

    private static List<StoredEvent> events(PreparedStatement st) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                events.add(event(rs, 1));
            }
        }
        return events;
    }

    static StoreException failure(String what, SQLException e) {
        return new StoreException(what + " (" + oneLine(e.getMessage()) + ")", e);
    }

    private static String oneLine(String message) {
        return message == null ? "no reason given" : message.lines().findFirst().orElse("").strip();
    }

    @Override
    public void close() {
        pool.close();
    }
}
