package io.benchlink.gateway.cluster;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * This gateway's lease in the shared database, and the agent links it holds. A lease lasts a few seconds and is
 * renewed well inside that ({@link ClusterMember}); once it has expired, the other gateways treat every link it
 * held as lost at that moment, so their {@link LinkSweep} publishes offline for agents that did not reconnect.
 * Expiry is judged by the database's clock, so gateways with skewed clocks agree.
 *
 * <p>Thread-safe: every call is one statement on a pooled connection.
 */
public final class GatewayLease {
    private final PostgresEventStore store;
    private final String gatewayId;
    private final Duration length;

    public GatewayLease(PostgresEventStore store, String gatewayId, Duration length) {
        if (gatewayId == null || gatewayId.isBlank()) {
            throw new IllegalArgumentException("a gateway id is required");
        }
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("the lease must be positive (got " + length + ")");
        }
        this.store = store;
        this.gatewayId = gatewayId;
        this.length = length;
    }

    public String gatewayId() {
        return gatewayId;
    }

    public Duration length() {
        return length;
    }

    /**
     * Takes or extends the lease to now (database time) plus its length; returns true when it had lapsed (or did not
     * exist) before: the other gateways may have swept this gateway's links meanwhile, see {@link #reassert}.
     */
    public boolean renew() throws SQLException {
        try (Connection c = store.connection(); PreparedStatement st = c.prepareStatement("WITH before AS"
                + " (SELECT expires_at FROM gateway_leases WHERE gateway_id = ?)"
                + " INSERT INTO gateway_leases(gateway_id, expires_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))"
                + " ON CONFLICT (gateway_id) DO UPDATE SET expires_at = excluded.expires_at"
                + " RETURNING NOT EXISTS (SELECT 1 FROM before WHERE before.expires_at > clock_timestamp())")) {
            st.setString(1, gatewayId);
            st.setString(2, gatewayId);
            st.setDouble(3, length.toMillis() / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * After this gateway's lease lapsed (a long database outage or partition, a long pause), a sweep elsewhere may
     * have deleted the link rows of agents that are in fact still connected here, publishing their offline and
     * leaving their devices free. Records again, on {@code c} (inside the caller's transaction), every link in
     * {@code live} (agent_id → its hello's devices) that has no row at all; a row that exists (this gateway's, or a
     * newer link elsewhere) is left alone. Returns the agents whose links were recorded again: the sweep brings
     * their devices back online, and their device claims should be asked again.
     */
    public List<String> reassert(Connection c, Map<String, List<String>> live) throws SQLException {
        List<String> agents = new ArrayList<>(live.keySet());
        if (agents.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement st = c.prepareStatement("INSERT INTO agent_links(agent_id, gateway_id, devices, lost_at)"
                + " VALUES (?, ?, ?, NULL) ON CONFLICT (agent_id) DO NOTHING")) {
            for (String agentId : agents) {
                st.setString(1, agentId);
                st.setString(2, gatewayId);
                st.setArray(3, c.createArrayOf("text", live.get(agentId).toArray()));
                st.addBatch();
            }
            int[] counts = st.executeBatch();
            List<String> recorded = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    recorded.add(agents.get(i));
                }
            }
            return recorded;
        }
    }

    /** An agent said hello here: its link (and devices) is now this gateway's, wherever it was before. */
    public void linkUp(String agentId, List<String> devices) throws SQLException {
        try (Connection c = store.connection();
             PreparedStatement st = c.prepareStatement("INSERT INTO agent_links(agent_id, gateway_id, devices, lost_at)"
                     + " VALUES (?, ?, ?, NULL) ON CONFLICT (agent_id) DO UPDATE SET gateway_id = excluded.gateway_id,"
                     + " devices = excluded.devices, lost_at = NULL")) {
            st.setString(1, agentId);
            st.setString(2, gatewayId);
            st.setArray(3, c.createArrayOf("text", devices.toArray()));
            st.executeUpdate();
        }
    }

    /** The agent's link here went away: its grace period starts now, unless it already holds a link elsewhere. */
    public void linkLost(String agentId) throws SQLException {
        update("UPDATE agent_links SET lost_at = clock_timestamp() WHERE agent_id = ? AND gateway_id = ?"
                + " AND lost_at IS NULL", agentId, gatewayId);
    }

    /**
     * PROTOCOL.md §3 goodbye: the agent's link here ends without a grace period (this gateway publishes its
     * "agent stopped" offline), so no sweep may publish a second offline for it later.
     */
    public void linkStopped(String agentId) throws SQLException {
        update("DELETE FROM agent_links WHERE agent_id = ? AND gateway_id = ? AND lost_at IS NULL", agentId, gatewayId);
    }

    /** A clean stop: the lease ends now and every link held here counts as lost from now. */
    public void release() throws SQLException {
        update("UPDATE agent_links SET lost_at = clock_timestamp() WHERE gateway_id = ? AND lost_at IS NULL", gatewayId);
        update("DELETE FROM gateway_leases WHERE gateway_id = ?", gatewayId);
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection c = store.connection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                st.setObject(i + 1, values[i]);
            }
            st.executeUpdate();
        }
    }
}
