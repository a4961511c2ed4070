package io.benchlink.gateway.cluster;

import io.benchlink.common.status.DeviceStatus;
import io.benchlink.common.status.StatusKind;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.store.StoredEvent;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's grace periods (PROTOCOL.md §3), run by every gateway and decided by the shared tables: an agent whose
 * link was lost longer than the grace period ago, or whose gateway's lease expired that long ago, and that has not
 * said hello anywhere since, gets {@code offline} (result {@code "agent connection lost"}) for each of its devices;
 * a device so taken offline, or taken offline by its agent's goodbye ({@link #stopped}), whose agent holds a link
 * again gets {@code online} (devices another agent owns are left alone, see {@link DeviceOwners}). Each sweep is one transaction with
 * the seq lock held ({@link PostgresEventStore#publishLocked}), and it deletes the link rows it published offline
 * for, so whichever gateway sweeps first publishes, exactly once, and a gateway that died is taken over by any
 * survivor.
 *
 * <p>Owned by: {@code gateway-cluster} (stateless between sweeps).
 */
public final class LinkSweep {
    // PROTOCOL.md §3: online/offline follow the owner only; a device another agent owns (DeviceOwners) is not
    // taken offline or brought back with a link that merely listed it. Needs "d.device_id" and "l.agent_id".
    private static final String OWN_DEVICE = " AND NOT EXISTS (SELECT 1 FROM device_owners o"
            + " WHERE o.device_id = d.device_id AND o.agent_id <> l.agent_id)";
    private final PostgresEventStore store;
    private final WallClock clock;
    private final Duration grace;

    public LinkSweep(PostgresEventStore store, WallClock clock, Duration grace) {
        this.store = store;
        this.clock = clock;
        this.grace = grace;
    }

    /** Publishes what is due now; returns the events stored (none most of the time). */
    public List<StoredEvent> sweep() {
        return sweep(true);
    }

    /**
     * Publishes what is due now; with {@code expire} false, only the onlines of links that are back (a gateway that
     * has just reached the database again must not judge other gateways' links yet, see {@link ClusterMember}).
     */
    public List<StoredEvent> sweep(boolean expire) {
        // Most sweeps find nothing: look first without the seq lock, so idle sweeps never hold up the writers.
        return anythingDue(expire) ? store.publishLocked(clock, c -> decide(c, expire)) : List.of();
    }

    private boolean anythingDue(boolean expire) {
        double graceSeconds = grace.toMillis() / 1000.0;
        try (Connection c = store.connection(); PreparedStatement st = c.prepareStatement("SELECT (? AND EXISTS ("
                + "SELECT 1 FROM agent_links l WHERE"
                + " (l.lost_at IS NOT NULL AND l.lost_at + make_interval(secs => ?) <= clock_timestamp())"
                + " OR (l.lost_at IS NULL AND NOT EXISTS (SELECT 1 FROM gateway_leases g"
                + " WHERE g.gateway_id = l.gateway_id AND g.expires_at + make_interval(secs => ?) > clock_timestamp()))))"
                + " OR EXISTS (SELECT 1 FROM agent_links l JOIN devices d ON d.device_id = ANY(l.devices)"
                + " WHERE l.lost_at IS NULL AND d.status = 'offline' AND d.result IN (?, ?)" + OWN_DEVICE + ")")) {
            st.setBoolean(1, expire);
            st.setDouble(2, graceSeconds);
            st.setDouble(3, graceSeconds);
            st.setString(4, AgentLinks.LINK_LOST);
            st.setString(5, AgentLinks.STOPPED);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new io.benchlink.gateway.store.StoreException("cannot read agent links (" + e.getMessage() + ")", e);
        }
    }

    private List<DeviceStatus> decide(Connection c, boolean expire) throws SQLException {
        List<DeviceStatus> statuses = new ArrayList<>();
        for (String device : expire ? expiredDevices(c) : List.<String>of()) {
            statuses.add(DeviceStatus.link(device, StatusKind.OFFLINE, AgentLinks.LINK_LOST, clock.now()));
        }
        for (String device : returnedDevices(c)) {
            statuses.add(DeviceStatus.link(device, StatusKind.ONLINE, AgentLinks.LINK_BACK, clock.now()));
        }
        return statuses;
    }

    /**
     * PROTOCOL.md §3 goodbye of {@code agentId} on gateway {@code gatewayId}, whose hello listed {@code devices}: in
     * one transaction under the seq lock, its link row ends (no sweep offline may follow), each of those devices it
     * owns gets one offline {@code "agent stopped"}, and its devices are free at once. Done together so that no sweep
     * can see the offline while the link row still stands and bring the devices back online. Nothing happens when
     * the agent holds a live link on another gateway by now (it said hello there since).
     */
    public List<StoredEvent> stopped(String agentId, String gatewayId, List<String> devices) {
        return store.publishLocked(clock, c -> {
            try (PreparedStatement st = c.prepareStatement("DELETE FROM agent_links WHERE agent_id = ?"
                    + " AND (gateway_id = ? OR lost_at IS NOT NULL)")) {
                st.setString(1, agentId);
                st.setString(2, gatewayId);
                st.executeUpdate();
            }
            List<String> owned = new ArrayList<>();
            try (PreparedStatement st = c.prepareStatement("SELECT o.device_id FROM device_owners o"
                    + " WHERE o.agent_id = ? AND o.device_id = ANY(?)"
                    + " AND NOT EXISTS (SELECT 1 FROM agent_links l WHERE l.agent_id = o.agent_id)"
                    + " ORDER BY o.device_id")) {
                st.setString(1, agentId);
                st.setArray(2, c.createArrayOf("text", devices.toArray()));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        owned.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement st = c.prepareStatement("DELETE FROM device_owners o WHERE o.agent_id = ?"
                    + " AND NOT EXISTS (SELECT 1 FROM agent_links l WHERE l.agent_id = o.agent_id)")) {
                st.setString(1, agentId);
                st.executeUpdate();
            }
            List<DeviceStatus> statuses = new ArrayList<>();
            for (String device : owned) {
                statuses.add(DeviceStatus.link(device, StatusKind.OFFLINE, AgentLinks.STOPPED, clock.now()));
            }
            return statuses;
        });
    }

    private List<String> expiredDevices(Connection c) throws SQLException {
        double graceSeconds = grace.toMillis() / 1000.0;
        List<String> devices = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("WITH l AS (DELETE FROM agent_links l WHERE"
                + " (l.lost_at IS NOT NULL AND l.lost_at + make_interval(secs => ?) <= clock_timestamp())"
                + " OR (l.lost_at IS NULL AND NOT EXISTS (SELECT 1 FROM gateway_leases g"
                + " WHERE g.gateway_id = l.gateway_id AND g.expires_at + make_interval(secs => ?) > clock_timestamp()))"
                + " RETURNING l.agent_id, l.devices)"
                + " SELECT DISTINCT d.device_id FROM l CROSS JOIN LATERAL unnest(l.devices) AS d(device_id)"
                + " WHERE TRUE" + OWN_DEVICE + " ORDER BY d.device_id")) {
            st.setDouble(1, graceSeconds);
            st.setDouble(2, graceSeconds);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    devices.add(rs.getString(1));
                }
            }
        }
        return devices;
    }

    private List<String> returnedDevices(Connection c) throws SQLException {
        List<String> devices = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement("SELECT DISTINCT d.device_id FROM agent_links l"
                + " JOIN gateway_leases g ON g.gateway_id = l.gateway_id AND g.expires_at > clock_timestamp()"
                + " JOIN devices d ON d.device_id = ANY(l.devices)"
                + " WHERE l.lost_at IS NULL AND d.status = 'offline' AND d.result IN (?, ?)" + OWN_DEVICE
                + " ORDER BY d.device_id")) {
            st.setString(1, AgentLinks.LINK_LOST);
            st.setString(2, AgentLinks.STOPPED);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    devices.add(rs.getString(1));
                }
            }
        }
        return devices;
    }
}
