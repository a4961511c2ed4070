package io.benchlink.gateway.cluster;

import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device ownership of PROTOCOL.md §3 shared by every gateway on one database (table {@code device_owners}): a device
 * belongs to the agent that last claimed it, and another agent may take it over only once that owner is inactive
 * everywhere, that is when it has no row in {@code agent_links} (the {@link LinkSweep} deletes it with the offline
 * it publishes after the grace period) and its last claim is older than the grace period (covers a link that is
 * not recorded yet). So an agent that fails over to another gateway keeps its devices, and a second rig claiming
 * them on another gateway is refused, as on one gateway.
 *
 * <p>Thread-safe: every call is one statement on a pooled connection.
 */
public final class DeviceOwners {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceOwners.class);
    // One statement: the owners before (snapshot), the claim (a takeover only from an inactive owner; sorted, so
    // two gateways claiming overlapping devices lock their rows in one order), and for each device whether it won.
    private static final String CLAIM = "WITH wanted AS (SELECT DISTINCT unnest(?::text[]) AS device_id),"
            + " before AS (SELECT o.device_id, o.agent_id FROM device_owners o JOIN wanted w USING (device_id)),"
            + " claimed AS (INSERT INTO device_owners AS o (device_id, agent_id, claimed_at)"
            + " SELECT device_id, ?, clock_timestamp() FROM wanted ORDER BY device_id"
            + " ON CONFLICT (device_id) DO UPDATE SET agent_id = excluded.agent_id, claimed_at = excluded.claimed_at"
            + " WHERE o.agent_id = excluded.agent_id"
            + " OR (o.claimed_at + make_interval(secs => ?) <= clock_timestamp()"
            + " AND NOT EXISTS (SELECT 1 FROM agent_links l WHERE l.agent_id = o.agent_id))"
            + " RETURNING o.device_id)"
            + " SELECT w.device_id, c.device_id IS NOT NULL, b.agent_id FROM wanted w"
            + " LEFT JOIN claimed c USING (device_id) LEFT JOIN before b USING (device_id)";

    private final PostgresEventStore store;
    private final Duration grace;

    public DeviceOwners(PostgresEventStore store, Duration grace) {
        this.store = store;
        this.grace = grace;
    }

    /**
     * Claims {@code devices} for {@code agentId}; returns each device's owner after the claim: {@code agentId}
     * where it now owns it, otherwise the active agent that keeps it. A device whose owner changed under a
     * concurrent claim is left out (the caller refuses it this time; the next status claims again).
     */
    public Map<String, String> claim(String agentId, List<String> devices) throws SQLException {
        Map<String, String> owners = new HashMap<>();
        if (devices.isEmpty()) {
            return owners;
        }
        try (Connection c = store.connection(); PreparedStatement st = c.prepareStatement(CLAIM)) {
            st.setArray(1, c.createArrayOf("text", devices.toArray()));
            st.setString(2, agentId);
            st.setDouble(3, grace.toMillis() / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    String device = rs.getString(1);
                    String before = rs.getString(3);
                    if (rs.getBoolean(2)) {
                        owners.put(device, agentId);
                        if (before != null && !before.equals(agentId)) {
                            LOG.info("{} - takes over {} from {} (offline past the grace period)", agentId, device,
                                    before);
                        }
                    } else if (before != null) {
                        owners.put(device, before);
                    }
                }
            }
        }
        return owners;
    }

    /** PROTOCOL.md §3 goodbye: the agent's devices are free at once, unless it holds a link again somewhere. */
    public void release(String agentId) throws SQLException {
        try (Connection c = store.connection(); PreparedStatement st = c.prepareStatement("DELETE FROM device_owners o"
                + " WHERE o.agent_id = ? AND NOT EXISTS (SELECT 1 FROM agent_links l WHERE l.agent_id = o.agent_id)")) {
            st.setString(1, agentId);
            st.executeUpdate();
        }
    }
}
