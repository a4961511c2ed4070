package io.benchlink.gateway.cluster;

import io.benchlink.common.concurrent.NamedThreadFactory;
import io.benchlink.common.time.WallClock;
import io.benchlink.gateway.agents.AgentLinks;
import io.benchlink.gateway.store.StoreException;
import io.benchlink.gateway.store.postgres.PostgresEventStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway as a member of a cluster on one PostgreSQL database: renews its {@link GatewayLease} three times per
 * lease length, records its agents' links as they come and go, and runs the {@link LinkSweep} once a second. Link
 * changes are handed to its own thread, so WebSocket threads never wait for the database; a failed step is logged
 * once and retried on the next tick (the database may be restarting). Device claims and the agent's stored mark
 * are asked of the database at once, on the caller's thread (a hello, or an agent's first status for a device on a
 * link): their answer decides what the agent is told.
 *
 * <p>Owned by: {@code gateway-cluster}; {@link #claim} and {@link #storedMark} are safe from any thread.
 */
public final class ClusterMember implements AutoCloseable, AgentLinks.SharedLinks {
    /** Long enough to ride out a pause of a few seconds, short enough for offline within grace + 15 s of a death. */
    public static final Duration LEASE = Duration.ofSeconds(6);
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private final GatewayLease lease;
    private final LinkSweep sweep;
    private final DeviceOwners owners;
    private final PostgresEventStore store;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(NamedThreadFactory.single("gateway-cluster"));
    private volatile boolean failing;
    // Link changes not yet recorded (the database was down), the latest per agent, retried on every tick: a dropped
    // linkUp would leave a dead agent without its offline, a dropped linkLost would keep its devices online forever.
    // Touched on the cluster thread only.
    private final Map<String, Step> unrecorded = new LinkedHashMap<>();

    public ClusterMember(PostgresEventStore store, WallClock clock, Duration offlineGrace, Duration lease) {
        this.lease = new GatewayLease(store, UUID.randomUUID().toString(), lease);
        this.sweep = new LinkSweep(store, clock, offlineGrace);
        this.owners = new DeviceOwners(store, offlineGrace);
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Takes the lease (failing start-up if the database refuses) and starts renewing and sweeping. */
    public void start() throws SQLException {
        lease.renew();
        long renew = lease.length().toMillis() / 3;
        thread.scheduleWithFixedDelay(() -> step("renew the lease", lease::renew), renew, renew, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(() -> step("sweep agent links", () -> {
            recordLinks();
            sweep.sweep();
        }), SWEEP.toMillis(),
                SWEEP.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("cluster member {} (lease {} s)", lease.gatewayId(), lease.length().toSeconds());
    }

    public String gatewayId() {
        return lease.gatewayId();
    }

    /** An agent said hello here. */
    public void linkUp(String agentId, List<String> devices) {
        List<String> copy = List.copyOf(devices);
        record(agentId, () -> lease.linkUp(agentId, copy));
    }

    /** An agent's current link here went away. */
    public void linkLost(String agentId) {
        record(agentId, () -> lease.linkLost(agentId));
    }

    @Override
    public void up(String agentId, List<String> devices) {
        linkUp(agentId, devices);
    }

    @Override
    public void lost(String agentId) {
        linkLost(agentId);
    }

    @Override
    public void stopped(String agentId) {
        record(agentId, () -> {
            lease.linkStopped(agentId);
            owners.release(agentId);
        });
    }

    @Override
    public Map<String, String> claim(String agentId, List<String> devices) {
        try {
            return owners.claim(agentId, devices);
        } catch (SQLException e) {
            throw new StoreException("cannot claim devices ("
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")", e);
        }
    }

    @Override
    public long storedMark(String agentId) {
        return store.agentMark(agentId);
    }

    private void record(String agentId, Step change) {
        thread.execute(() -> {
            unrecorded.remove(agentId); // re-inserted last: changes are recorded in the order they happened
            unrecorded.put(agentId, change);
            step("record agent links", this::recordLinks);
        });
    }

    private void recordLinks() throws Exception {
        for (Iterator<Step> pending = unrecorded.values().iterator(); pending.hasNext(); ) {
            pending.next().run();
            pending.remove();
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private void step(String what, Step step) {
        try {
            step.run();
            if (failing) {
                LOG.info("cluster: database reachable again");
                failing = false;
            }
        } catch (Throwable e) {
            // the database may be restarting: say so once, keep the schedule alive and try again on the next tick
            if (!failing) {
                LOG.warn("cluster: cannot {} ({})", what, e.getMessage());
                failing = true;
            }
        }
    }

    /** A clean stop: the links held here count as lost from now, for the other gateways' sweeps. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("cluster thread did not stop within 2 s");
                thread.shutdownNow();
            }
            lease.release();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.warn("cluster: cannot release the lease ({}); it expires by itself", e.getMessage());
        }
    }
}
