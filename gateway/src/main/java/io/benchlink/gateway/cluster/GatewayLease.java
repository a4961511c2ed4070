package io.benchlink.gateway.cluster;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

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

    /** Takes or extends the lease to now (database time) plus its length. */
    public void renew() throws SQLException {
        update("INSERT INTO gateway_leases(gateway_id, expires_at) VALUES (?, clock_timestamp() + make_interval(secs => ?))"
                + " ON CONFLICT (gateway_id) DO UPDATE SET expires_at = excluded.expires_at",
                gatewayId, length.toMillis() / 1000.0);
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
